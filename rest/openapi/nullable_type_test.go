package openapi_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/rest/openapi"
)

type nullOwner struct {
	Name string `json:"name"`
}

type nullShop struct {
	ID     int                                      `json:"id,omitempty" loom:"id,generated"`
	City   repository.Nullable[string]              `json:"city,omitzero" validate:"max=9"`
	Rating repository.Nullable[float64]             `json:"rating,omitzero"`
	Opened repository.Nullable[time.Time]           `json:"opened,omitzero"`
	Tags   repository.Nullable[[]string]            `json:"tags,omitzero"`
	Owner  repository.Nullable[nullOwner]           `json:"owner,omitzero"`
	Where  repository.Nullable[repository.GeoPoint] `json:"where,omitzero"`
	Code   repository.Nullable[string]              `json:"code,omitzero" validate:"required"`
}

type nullShops struct{}

func (nullShops) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/shops", func(_ context.Context, in struct {
			Shop nullShop `body:"json"`
		}) (nullShop, error) {
			return in.Shop, nil
		}),
	}
}

func TestBuild_nullablePropertiesTakeNull(t *testing.T) {
	for _, c := range []struct {
		version string
		want    map[string]any
	}{
		{"3.0", map[string]any{
			"city": map[string]any{"type": "string", "maxLength": 9.0, "nullable": true},
			// required: the key is sent, and a string is not blank
			"code":   map[string]any{"type": "string", "minLength": 1.0, "nullable": true},
			"rating": map[string]any{"type": "number", "format": "double", "nullable": true},
			"opened": map[string]any{"type": "string", "format": "date-time", "nullable": true},
			"tags":   map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "nullable": true},
			"owner":  map[string]any{"type": "object", "nullable": true, "allOf": []any{map[string]any{"$ref": "#/components/schemas/nullOwner"}}},
			// a component of no one type: null is an alternative
			"where": map[string]any{"anyOf": []any{map[string]any{"$ref": "#/components/schemas/GeoPoint"},
				map[string]any{"type": "object", "nullable": true, "enum": []any{nil}}}},
		}},
		{"3.1", map[string]any{
			"city":   map[string]any{"type": []any{"string", "null"}, "maxLength": 9.0},
			"code":   map[string]any{"type": []any{"string", "null"}, "minLength": 1.0},
			"rating": map[string]any{"type": []any{"number", "null"}, "format": "double"},
			"opened": map[string]any{"type": []any{"string", "null"}, "format": "date-time"},
			"tags":   map[string]any{"type": []any{"array", "null"}, "items": map[string]any{"type": "string"}},
			"owner":  map[string]any{"anyOf": []any{map[string]any{"$ref": "#/components/schemas/nullOwner"}, map[string]any{"type": "null"}}},
			"where":  map[string]any{"anyOf": []any{map[string]any{"$ref": "#/components/schemas/GeoPoint"}, map[string]any{"type": "null"}}},
		}},
	} {
		doc, err := openapi.Build(routesOf(t, nullShops{}), openapi.Config{OpenAPI: c.version})
		if err != nil {
			t.Fatal(err)
		}
		schemas := at(t, tree(t, doc), "components", "schemas").(map[string]any)
		props := at(t, schemas, "nullShop", "properties").(map[string]any)
		for name, want := range c.want {
			if !reflect.DeepEqual(props[name], want) {
				t.Errorf("%s: %s = %v, want %v", c.version, name, props[name], want)
			}
		}
		if req := at(t, schemas, "nullShop", "required"); !reflect.DeepEqual(req, []any{"code"}) {
			t.Errorf("%s: required %v", c.version, req)
		}
		if _, ok := schemas["nullOwner"]; !ok {
			t.Errorf("%s: no component nullOwner", c.version)
		}
		for name := range schemas {
			if len(name) >= 8 && name[:8] == "Nullable" {
				t.Errorf("%s: a component %s", c.version, name)
			}
		}
	}
}

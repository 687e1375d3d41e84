package openapi_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest/openapi"
)

type optionalNote struct {
	Text   string          `json:"text"`
	Desc   *string         `json:"desc,omitempty"`
	Done   *bool           `json:"done,omitempty"`
	Tags   []string        `json:"tags,omitempty"`
	Tag    json.RawMessage `json:"tag,omitempty"`
	Any    any             `json:"any,omitempty"`
	Loose  *string         `json:"loose"`
	Nested *optionalNote   `json:"nested,omitempty"`
}

type optionalNotes struct{}

func (optionalNotes) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/notes", func(context.Context, struct {
			Note optionalNote `body:"json"`
		}) (controller.NoContent, error) {
			return controller.NoContent{}, nil
		}),
	}
}

func TestBuild_omittedPropertiesAreNotNullable(t *testing.T) {
	// Given a body whose optional properties are omitempty pointers,
	// slices and any JSON (the request decoder refuses null for the typed
	// ones, and a response leaves them out),
	doc, err := openapi.Build(routesOf(t, optionalNotes{}), openapi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	props := at(t, tree(t, doc), "components", "schemas", "optionalNote", "properties").(map[string]any)
	// then their schemas say the type alone, as LoopBack's do; any JSON
	// stays unconstrained; a pointer without omitempty, written as null
	// when nil, stays nullable.
	for name, want := range map[string]any{
		"desc":  map[string]any{"type": "string"},
		"done":  map[string]any{"type": "boolean"},
		"tags":  map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
		"tag":   map[string]any{},
		"any":   map[string]any{},
		"loose": map[string]any{"type": "string", "nullable": true},
	} {
		if !reflect.DeepEqual(props[name], want) {
			t.Errorf("%s = %v, want %v", name, props[name], want)
		}
	}
}

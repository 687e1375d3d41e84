package openapi_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository/rules"
	"github.com/loomhq/loom/rest/openapi"
)

type validatedShop struct {
	Name string   `json:"name"`
	City *string  `json:"city,omitempty"`
	Hour *float64 `json:"hour,omitempty"`
	Role string   `json:"role,omitempty"`
	Code string   `json:"code,omitempty"`
	Tags []string `json:"tags,omitempty"`
}

func (validatedShop) Validations() []rules.Validation {
	return []rules.Validation{
		rules.UniquenessOf("name"),
		rules.LengthOf("name", rules.Min(3), rules.Max(60)),
		rules.InclusionOf("city", []any{"Oslo", "Rome"}, rules.AllowNull(), rules.AllowBlank()),
		rules.NumericalityOf("hour", rules.Int(), rules.AllowBlank()),
		rules.ExclusionOf("role", []any{"admin"}, rules.AllowBlank()),
		rules.FormatOf("code", `^[a-z]+$`, rules.AllowBlank()),
		rules.LengthOf("tags", rules.Max(2), rules.AllowBlank()),
	}
}

type validatedShops struct{}

func (validatedShops) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/shops", func(context.Context, struct {
			Body validatedShop `body:"json"`
		}) (controller.NoContent, error) {
			return controller.NoContent{}, nil
		}, controller.Name("create")),
	}
}

func TestBuild_validationsAreDocumentedAsTheRepositoryChecksThem(t *testing.T) {
	// Given a model declaring LoopBack 3's validations
	doc, err := openapi.Build(routesOf(t, validatedShops{}), openapi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	schema := at(t, tree(t, doc), "components", "schemas", "validatedShop")
	props := at(t, schema, "properties")
	// then each validation's keywords are on its property
	for _, c := range []struct {
		keys []string
		want any
	}{
		{[]string{"name", "minLength"}, 3.0},
		{[]string{"name", "maxLength"}, 60.0},
		{[]string{"city", "enum"}, []any{"Oslo", "Rome", ""}},
		{[]string{"hour", "type"}, "integer"},
		{[]string{"role", "not", "enum"}, []any{"admin"}},
		{[]string{"code", "pattern"}, "^$|^[a-z]+$"},
		{[]string{"tags", "maxItems"}, 2.0},
	} {
		if got := at(t, props, c.keys...); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v = %#v, want %#v", c.keys, got, c.want)
		}
	}
	// and the name, whose length is checked when unset, is required
	req, _ := at(t, schema, "required").([]any)
	if !slices.Contains(req, any("name")) || slices.Contains(req, any("city")) {
		t.Errorf("required %v", req)
	}
}

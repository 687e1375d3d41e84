package openapi_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest/openapi"
)

type labelled struct {
	Labels []string          `json:"labels" validate:"dive,min=2"`
	Counts []int             `json:"counts" validate:"min=1,dive,gt=0"`
	Names  map[string]string `json:"names" validate:"max=3,dive,max=10"`
	Code   string            `json:"code" validate:"alphanum"`
}

type labels struct{}

func (labels) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/labels", func(context.Context, struct {
			Body labelled `body:"json"`
		}) (controller.NoContent, error) {
			return controller.NoContent{}, nil
		}, controller.Name("create")),
	}
}

func TestBuild_ruleKeywordsAreWhatTheDecoderChecks(t *testing.T) {
	// Given rules before and after dive on lists and maps
	doc, err := openapi.Build(routesOf(t, labels{}), openapi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	props := at(t, tree(t, doc), "components", "schemas", "labelled", "properties")

	// then dive,min=2 is the items' minLength, not the list's minItems
	labelsSchema := at(t, props, "labels").(map[string]any)
	if _, ok := labelsSchema["minItems"]; ok {
		t.Errorf("labels = %v, want no minItems", labelsSchema)
	}
	for _, c := range []struct {
		keys []string
		want any
	}{
		{[]string{"labels", "items", "minLength"}, 2.0},
		{[]string{"counts", "minItems"}, 1.0},
		{[]string{"counts", "items", "minimum"}, 0.0}, // OpenAPI 3.0's exclusive bound
		{[]string{"counts", "items", "exclusiveMinimum"}, true},
		{[]string{"names", "maxProperties"}, 3.0},
		{[]string{"names", "additionalProperties", "maxLength"}, 10.0},
		{[]string{"code", "pattern"}, "^[a-zA-Z0-9]+$"},
	} {
		if got := at(t, props, c.keys...); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v = %v, want %v", c.keys, got, c.want)
		}
	}
}

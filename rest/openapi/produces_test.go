package openapi_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/loomhq/loom/actions/sse"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest/openapi"
)

type producedItem struct {
	Name string `json:"name"`
}

func TestBuild_ListsTheMediaTypesARouteProduces(t *testing.T) {
	c := controller.Func{Label: "ProducesController", List: []controller.Route{
		controller.Get("/items", func(ctx context.Context, in struct{}) ([]producedItem, error) { return nil, nil },
			controller.Produces("application/json", "text/csv", "application/pdf")),
		controller.Get("/events", func(ctx context.Context, in struct{}) (*sse.Stream, error) { return nil, nil }),
	}}
	doc, err := openapi.Build(routesOf(t, c), openapi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	raw := doc.JSON()
	var d struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct {
					Schema map[string]any `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	items := d.Paths["/items"]["get"].Responses["200"].Content
	if items["application/json"].Schema["type"] != "array" || items["text/csv"].Schema["type"] != "string" ||
		items["application/pdf"].Schema["format"] != "binary" {
		t.Errorf("GET /items content: %+v, want JSON (its schema), text/csv (a string) and application/pdf (binary)", items)
	}
	events := d.Paths["/events"]["get"].Responses["200"].Content
	if _, ok := events["text/event-stream"]; !ok || len(events) != 1 {
		t.Errorf("GET /events content: %+v, want text/event-stream alone", events)
	}
}

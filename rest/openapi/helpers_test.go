package openapi_test

import (
	"encoding/json"
	"testing"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest/openapi"
	"github.com/loomhq/loom/rest/openapi/internal/sample"
)

// routesOf compiles controllers' routes as the REST application does.
func routesOf(t testing.TB, controllers ...controller.Controller) []*actions.Route {
	t.Helper()
	table, err := actions.NewRouteTable(actions.Options{BodyLimit: 1 << 20}, controllers, nil)
	if err != nil {
		t.Fatal(err)
	}
	return table.Routes()
}

// sampleDoc builds the sample application's document.
func sampleDoc(t testing.TB, cfg openapi.Config) *openapi.Document {
	t.Helper()
	doc, err := openapi.Build(routesOf(t, sample.Controller{}), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// tree decodes a document for inspection.
func tree(t testing.TB, doc *openapi.Document) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc.JSON(), &m); err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	return m
}

// at walks m along keys, failing the test when a key is missing.
func at(t testing.TB, m any, keys ...string) any {
	t.Helper()
	for i, k := range keys {
		o, ok := m.(map[string]any)
		if !ok {
			t.Fatalf("%v is not an object", keys[:i])
		}
		if m, ok = o[k]; !ok {
			t.Fatalf("no %v in the document", keys[:i+1])
		}
	}
	return m
}

// param finds the parameter named name of an operation.
func param(t testing.TB, op any, name string) map[string]any {
	t.Helper()
	for _, p := range at(t, op, "parameters").([]any) {
		if p := p.(map[string]any); p["name"] == name {
			return p
		}
	}
	t.Fatalf("no parameter %s", name)
	return nil
}

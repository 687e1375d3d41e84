package authentication_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// apiKey is a documented strategy of an apiKey scheme.
type apiKey struct{}

func (apiKey) Name() string { return "apiKey" }
func (apiKey) Authenticate(_ context.Context, r *http.Request) (*authentication.Profile, error) {
	if k := r.Header.Get("X-API-Key"); k != "" {
		return &authentication.Profile{ID: k}, nil
	}
	return nil, nil
}
func (apiKey) SecurityScheme() authentication.Scheme {
	return authentication.Scheme{Type: "apiKey", In: "header", Name: "X-API-Key", Description: "The key of the account."}
}

func TestOpenAPI_SchemesAndSecurityFromTheDeclarations(t *testing.T) {
	app := resttest.Start(t,
		rest.WithAuthentication(authentication.Basic(verifyBasic), apiKey{}, headerStrategy{"a", "X-A"}),
		rest.WithController(func() controller.Func {
			return controller.Func{Label: "C", List: []controller.Route{
				controller.Get("/both", who, controller.Name("both"), controller.Authenticate("apiKey", "a", "basic")),
				controller.Get("/undocumented", who, controller.Name("undocumented"), controller.Authenticate("a")),
				controller.Get("/skipped", who, controller.Name("skipped"), controller.Authenticate("basic"), controller.SkipAuthentication()),
				controller.Get("/open", who, controller.Name("open")),
			}}
		}),
	)
	var doc struct {
		Security   []any `json:"security"`
		Components struct {
			SecuritySchemes map[string]map[string]any `json:"securitySchemes"`
		} `json:"components"`
		Paths map[string]map[string]struct {
			Security []map[string][]string `json:"security"`
		} `json:"paths"`
	}
	app.Get("/openapi.json").JSON(t, &doc)
	wantSchemes := map[string]map[string]any{
		"basic":  {"type": "http", "scheme": "basic"},
		"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "The key of the account."},
	}
	if !reflect.DeepEqual(doc.Components.SecuritySchemes, wantSchemes) {
		t.Errorf("securitySchemes = %v, want %v", doc.Components.SecuritySchemes, wantSchemes)
	}
	if doc.Security == nil || len(doc.Security) != 0 {
		t.Errorf("the document's security = %v, want []", doc.Security)
	}
	want := map[string][]map[string][]string{
		"/both":         {{"apiKey": {}}, {"basic": {}}},
		"/undocumented": nil,
		"/skipped":      nil,
		"/open":         nil,
	}
	for path, sec := range want {
		got := doc.Paths[path]["get"].Security
		if !reflect.DeepEqual(got, sec) {
			t.Errorf("%s security = %v, want %v", path, got, sec)
		}
	}
}

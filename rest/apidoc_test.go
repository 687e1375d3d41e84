package rest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
)

// docApp is the fixture application with cfg.
func docApp(t *testing.T, cfg rest.Config) *rest.Application {
	t.Helper()
	app, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithConfig(cfg),
		rest.WithController(newTodoController))
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// get serves one GET through h.
func get(h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// specOf decodes a served document.
func specOf(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var spec map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &spec); err != nil {
		t.Fatalf("not a JSON document (%d): %v\n%.300s", rec.Code, err, rec.Body.String())
	}
	return spec
}

func TestOpenAPI_IsServedAsJSONAndYAML(t *testing.T) {
	app := docApp(t, rest.Config{})
	// When /openapi.json is asked for, then it is the routes' 3.0 document,
	rec := get(app, "/openapi.json")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("GET /openapi.json: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	spec := specOf(t, rec)
	paths, _ := spec["paths"].(map[string]any)
	if spec["openapi"] != "3.0.3" || paths["/todos/{id}"] == nil || paths["/todos/count"] == nil {
		t.Errorf("openapi %v, paths %v", spec["openapi"], paths)
	}
	// and /openapi.yaml is the same as YAML.
	rec = get(app, "/openapi.yaml")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/yaml; charset=utf-8" ||
		!strings.HasPrefix(rec.Body.String(), "openapi: 3.0.3\n") {
		t.Errorf("GET /openapi.yaml: %d %q\n%.100s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	// Its server is the base path, / here.
	if s := spec["servers"].([]any)[0].(map[string]any)["url"]; s != "/" {
		t.Errorf("servers[0].url = %v", s)
	}
}

func TestOpenAPI_ServersFromRequest_AreTheRequestedBaseURL(t *testing.T) {
	// Given ServersFromRequest and a base path,
	app := docApp(t, rest.Config{BasePath: "/api", OpenAPI: rest.OpenAPIConfig{ServersFromRequest: true}})
	for _, c := range []struct {
		header []string
		want   string
	}{
		{nil, "http://example.com/api"},
		{[]string{"X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.org"}, "https://api.example.org/api"},
		{[]string{"X-Forwarded-Proto", "https, http", "X-Forwarded-Host", "h.example", "X-Forwarded-Port", "8443"}, "https://h.example:8443/api"},
		{[]string{"X-Forwarded-Host", "h.example:8080", "X-Forwarded-Port", "80"}, "http://h.example/api"},
	} {
		// when the document is asked for under it, then its server is
		// where the request was sent, as a proxy reports it.
		spec := specOf(t, get(app, "/api/openapi.json", c.header...))
		if got := spec["servers"].([]any)[0].(map[string]any)["url"]; got != c.want {
			t.Errorf("with %v: servers[0].url = %v, want %s", c.header, got, c.want)
		}
	}
}

func TestOpenAPI_Config_SetsVersionInfoAndPaths(t *testing.T) {
	// Given 3.1, info and other paths,
	app := docApp(t, rest.Config{OpenAPI: rest.OpenAPIConfig{OpenAPIVersion: "3.1", Title: "todo", Version: "2.0.0",
		Description: "Todos.", JSONPath: "/spec.json", YAMLPath: "spec.yaml"}})
	// then the document is served there, with them,
	spec := specOf(t, get(app, "/spec.json"))
	info := spec["info"].(map[string]any)
	if spec["openapi"] != "3.1.0" || info["title"] != "todo" || info["version"] != "2.0.0" || info["description"] != "Todos." {
		t.Errorf("openapi %v, info %v", spec["openapi"], info)
	}
	if rec := get(app, "/spec.yaml"); rec.Code != 200 {
		t.Errorf("GET /spec.yaml: %d", rec.Code)
	}
	// and not at the default paths, which go to the routes (404).
	if rec := get(app, "/openapi.json"); rec.Code != 404 {
		t.Errorf("GET /openapi.json: %d, want 404", rec.Code)
	}
	// The application gives the same document.
	if app.OpenAPI() == nil || app.OpenAPI().OpenAPI() != "3.1.0" {
		t.Errorf("Application.OpenAPI() = %v", app.OpenAPI())
	}
}

func TestOpenAPI_Disabled_ServesNeitherDocumentNorExplorer(t *testing.T) {
	app := docApp(t, rest.Config{OpenAPI: rest.OpenAPIConfig{Disabled: true}})
	for _, path := range []string{"/openapi.json", "/openapi.yaml", "/explorer/", "/explorer"} {
		if rec := get(app, path); rec.Code != 404 {
			t.Errorf("GET %s: %d, want 404", path, rec.Code)
		}
	}
	if app.OpenAPI() != nil {
		t.Error("Application.OpenAPI() is not nil")
	}
}

func TestOpenAPI_OtherMethods_AreRefused(t *testing.T) {
	app := docApp(t, rest.Config{})
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/openapi.json", nil))
	if rec.Code != 405 || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /openapi.json: %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
	rec = httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/openapi.json", nil))
	if rec.Code != 200 || rec.Body.Len() != 0 {
		t.Errorf("HEAD /openapi.json: %d with %d bytes", rec.Code, rec.Body.Len())
	}
}

package rest_test

import (
	"strings"
	"testing"

	"github.com/loomhq/loom/rest"
)

func TestExplorer_BarePath_RedirectsToTheSlash(t *testing.T) {
	// As LoopBack: GET /explorer is a 301 to ./explorer/, the query kept.
	app := docApp(t, rest.Config{})
	rec := get(app, "/explorer?x=1")
	if rec.Code != 301 || rec.Header().Get("Location") != "./explorer/?x=1" {
		t.Errorf("GET /explorer: %d, Location %q", rec.Code, rec.Header().Get("Location"))
	}
}

func TestExplorer_ServesSwaggerUIFromTheBinary(t *testing.T) {
	app := docApp(t, rest.Config{})
	// When /explorer/ is asked for, then it is Swagger UI's page, pointing at
	// the document relative to itself and at assets of the server,
	rec := get(app, "/explorer/", "Accept", "text/html")
	page := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(page, "<html") {
		t.Fatalf("GET /explorer/: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, want := range []string{`"swaggerJsonUrl":"../openapi.json"`, `src="/explorer/swagger-ui-bundle.js"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(page, "unpkg") || strings.Contains(page, "cdn") {
		t.Error("the page mentions a CDN")
	}
	// and the assets are served.
	for _, asset := range []string{"/explorer/swagger-ui-bundle.js", "/explorer/swagger-ui.css"} {
		if rec := get(app, asset); rec.Code != 200 || rec.Body.Len() < 1000 {
			t.Errorf("GET %s: %d, %d bytes", asset, rec.Code, rec.Body.Len())
		}
	}
}

func TestExplorer_Path_IsConfigurableAndUnderTheBasePath(t *testing.T) {
	app := docApp(t, rest.Config{BasePath: "/api", Explorer: rest.ExplorerConfig{Path: "/docs/ui"}})
	rec := get(app, "/api/docs/ui/")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"swaggerJsonUrl":"../../openapi.json"`) {
		t.Errorf("GET /api/docs/ui/: %d\n%.200s", rec.Code, rec.Body.String())
	}
	if rec := get(app, "/api/docs/ui"); rec.Code != 301 || rec.Header().Get("Location") != "./ui/" {
		t.Errorf("GET /api/docs/ui: %d, Location %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := get(app, "/explorer/"); rec.Code != 404 {
		t.Errorf("GET /explorer/: %d, want 404", rec.Code)
	}
}

func TestExplorer_Disabled_LeavesTheDocument(t *testing.T) {
	app := docApp(t, rest.Config{Explorer: rest.ExplorerConfig{Disabled: true}})
	if rec := get(app, "/explorer/"); rec.Code != 404 {
		t.Errorf("GET /explorer/: %d, want 404", rec.Code)
	}
	if rec := get(app, "/openapi.json"); rec.Code != 200 {
		t.Errorf("GET /openapi.json: %d", rec.Code)
	}
}

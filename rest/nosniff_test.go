package rest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loomhq/loom/rest"
)

func TestEveryResponse_SaysNosniff(t *testing.T) {
	// Whatever answers, the sequence, the document, the explorer or CORS,
	// no browser may take the answer for another type than it says.
	app := docApp(t, rest.Config{})
	for _, c := range []struct {
		method, target, body string
		status               int
	}{
		{"GET", "/todos/1", "", 200},
		{"GET", "/todos/count", "", 200},
		{"POST", "/created", `{"title":"x"}`, 201},
		{"DELETE", "/todos/1", "", 204},
		{"GET", "/text", "", 200},
		{"GET", "/bytes", "", 200},
		{"GET", "/stream", "", 200},
		{"GET", "/todos/7", "", 404},
		{"GET", "/nowhere", "", 404},
		{"GET", "/openapi.json", "", 200},
		{"GET", "/openapi.yaml", "", 200},
		{"HEAD", "/openapi.json", "", 200},
		{"POST", "/openapi.json", "", 405},
		{"GET", "/explorer", "", 301},
		{"GET", "/explorer/", "", 200},
		{"GET", "/explorer/swagger-ui.css", "", 200},
		{"GET", "/explorer/swagger-ui-bundle.js", "", 200},
		{"OPTIONS", "/todos", "", 204},
	} {
		req := httptest.NewRequest(c.method, c.target, strings.NewReader(c.body))
		if c.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if c.method == "OPTIONS" {
			req.Header.Set("Origin", "http://example.com")
			req.Header.Set("Access-Control-Request-Method", "POST")
		}
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, req)
		if rec.Code != c.status || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: %d, X-Content-Type-Options %q; want %d, nosniff",
				c.method, c.target, rec.Code, rec.Header().Get("X-Content-Type-Options"), c.status)
		}
	}
}

func TestEveryResponse_SaysNosniffOverTheWire(t *testing.T) {
	app := startApp(t, newTodoController(), rest.WithConfig(rest.Config{Host: "127.0.0.1"}))
	for _, path := range []string{"/todos/1", "/text", "/explorer/"} {
		status, header, _ := call(t, http.MethodGet, app.URL()+path, "")
		if status != 200 || header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: %d, X-Content-Type-Options %q", path, status, header.Get("X-Content-Type-Options"))
		}
	}
}

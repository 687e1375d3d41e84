package authentication_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

// BenchmarkAuthenticate measures a request through the whole pipeline on
// a route without authentication, and on routes authenticated by a
// header strategy and by Basic (with a verify that compares in constant
// time, no hashing).
func BenchmarkAuthenticate(b *testing.B) {
	app, err := rest.New(
		rest.WithLogger(zap.NewNop()),
		rest.WithAuthentication(headerStrategy{"a", "X-A"}, authentication.Basic(verifyBasic)),
		rest.WithController(func() controller.Func {
			return controller.Func{Label: "C", List: []controller.Route{
				controller.Get("/open", who, controller.Name("open")),
				controller.Get("/header", who, controller.Name("header"), controller.Authenticate("a")),
				controller.Get("/basic", who, controller.Name("basic"), controller.Authenticate("a", "basic")),
			}}
		}),
	)
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct{ name, path, header, value string }{
		{"none", "/open", "", ""},
		{"header", "/header", "X-A", "ann"},
		{"basic-second", "/basic", "Authorization", basicHeader("ann:secret")},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, c.path, nil)
			if c.header != "" {
				req.Header.Set(c.header, c.value)
			}
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				app.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s = %d %s", c.path, w.Code, w.Body)
				}
			}
		})
	}
}

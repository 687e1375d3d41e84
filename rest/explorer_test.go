package rest_test

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
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
	// the document and at assets of the server, relative to itself,
	rec := get(app, "/explorer/", "Accept", "text/html")
	page := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(page, "<html") {
		t.Fatalf("GET /explorer/: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, want := range []string{`"swaggerJsonUrl":"../openapi.json"`, `src="./swagger-ui-bundle.js"`} {
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

// pageRefs are the URLs the explorer's page loads: its assets and the
// document.
var pageRefs = regexp.MustCompile(`(?:href|src)="([^"]*)"|"swaggerJsonUrl":"([^"]*)"`)

func refsOf(page string) []string {
	var refs []string
	for _, m := range pageRefs.FindAllStringSubmatch(page, -1) {
		refs = append(refs, m[1]+m[2])
	}
	return refs
}

func TestExplorer_Page_RefersToEverythingRelatively(t *testing.T) {
	for _, cfg := range []rest.Config{{}, {BasePath: "/api", Explorer: rest.ExplorerConfig{Path: "/docs/ui"}}} {
		app := docApp(t, cfg)
		page := strings.TrimSuffix(cfg.BasePath+pathOr(cfg.Explorer.Path, "/explorer"), "/") + "/"
		rec := get(app, page)
		refs := refsOf(rec.Body.String())
		if rec.Code != 200 || len(refs) < 4 {
			t.Fatalf("GET %s: %d, references %q", page, rec.Code, refs)
		}
		for _, ref := range refs {
			if strings.HasPrefix(ref, "/") || strings.Contains(ref, "://") {
				t.Errorf("GET %s: the page refers to %q, not relative to itself", page, ref)
			}
		}
	}
}

func TestExplorer_BehindAPrefixStrippingProxy_LoadsThePageItsAssetsAndTheDocument(t *testing.T) {
	// Given the application behind a proxy that serves it under /prefix/,
	app := httptest.NewServer(docApp(t, rest.Config{}))
	defer app.Close()
	target, _ := url.Parse(app.URL)
	proxy := http.NewServeMux()
	proxy.Handle("/prefix/", http.StripPrefix("/prefix", &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target) },
	}))
	front := httptest.NewServer(proxy)
	defer front.Close()

	// when a client opens /prefix/explorer and follows the redirect,
	res, err := http.Get(front.URL + "/prefix/explorer")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Request.URL.Path != "/prefix/explorer/" {
		t.Fatalf("GET /prefix/explorer: %d at %s", res.StatusCode, res.Request.URL.Path)
	}

	// then every asset the page refers to, and the document, load through
	// the proxy.
	refs := refsOf(string(body))
	if len(refs) < 4 {
		t.Fatalf("the page refers to %q", refs)
	}
	for _, ref := range refs {
		u, err := res.Request.URL.Parse(ref)
		if err != nil {
			t.Fatalf("reference %q: %v", ref, err)
		}
		got, err := http.Get(u.String())
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, got.Body)
		got.Body.Close()
		if got.StatusCode != 200 || n == 0 || !strings.HasPrefix(u.Path, "/prefix/") {
			t.Errorf("%q, loaded from %s: %d, %d bytes", ref, u.Path, got.StatusCode, n)
		}
	}
}

// pathOr is s, or def when s is empty.
func pathOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func TestExplorer_Page_IsUTF8HTMLThatNoOtherSiteMayFrame(t *testing.T) {
	app := docApp(t, rest.Config{})
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, httptest.NewRequest(method, "/explorer/", nil))
		h := rec.Header()
		if rec.Code != 200 || h.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s /explorer/: %d %q, want 200 text/html; charset=utf-8", method, rec.Code, h.Get("Content-Type"))
		}
		if h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s /explorer/: X-Frame-Options %q, CSP %q", method, h.Get("X-Frame-Options"), h.Get("Content-Security-Policy"))
		}
		if method == http.MethodHead && rec.Body.Len() != 0 {
			t.Errorf("HEAD /explorer/ has a body of %d bytes", rec.Body.Len())
		}
	}
}

// inlineScript is a script of the page written in the page itself.
var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

func TestExplorer_Page_RunsOnlyItsOwnScripts(t *testing.T) {
	// The page's Content-Security-Policy allows the server's assets and the
	// page's inline scripts, by hash, and nothing else; a browser proves
	// that Swagger UI still works under it (rest/openapi's
	// TestExplorer_rendersTheSampleInHeadlessChromium).
	for _, cfg := range []rest.Config{{}, {BasePath: "/api", Explorer: rest.ExplorerConfig{Path: "/docs/ui"}}} {
		app := docApp(t, cfg)
		page := strings.TrimSuffix(cfg.BasePath+pathOr(cfg.Explorer.Path, "/explorer"), "/") + "/"
		rec := get(app, page)
		csp := rec.Header().Get("Content-Security-Policy")
		directives := map[string]string{}
		for _, d := range strings.Split(csp, ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
			directives[name] = value
		}
		scripts := inlineScript.FindAllStringSubmatch(rec.Body.String(), -1)
		if len(scripts) == 0 {
			t.Fatalf("GET %s: no inline script in\n%s", page, rec.Body.String())
		}
		want := "'self'"
		for _, s := range scripts {
			sum := sha256.Sum256([]byte(s[1]))
			want += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		}
		if directives["script-src"] != want || directives["default-src"] != "'none'" || directives["connect-src"] != "'self'" {
			t.Errorf("GET %s: CSP %q\nwant script-src %s, default-src 'none', connect-src 'self'", page, csp, want)
		}
	}
}

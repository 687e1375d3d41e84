package rest_test

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

var modified = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func publicFS() fstest.MapFS {
	return fstest.MapFS{
		"index.html":      {Data: []byte("<h1>home</h1>")},
		"app.js":          {Data: []byte("console.log(1)")},
		"css/site.css":    {Data: []byte("body{}"), ModTime: modified},
		"docs/index.html": {Data: []byte("<h1>docs</h1>")},
		"empty/x.txt":     {Data: []byte("x")},
		"todos/count":     {Data: []byte("a file where a route is")},
	}
}

func noRedirects(app *resttest.App) {
	app.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
}

// isEnvelope tells whether res is the API's JSON error of status.
func isEnvelope(t *testing.T, res *resttest.Response, status int) bool {
	t.Helper()
	var e struct {
		Error struct {
			StatusCode int `json:"statusCode"`
		} `json:"error"`
	}
	return res.Status == status && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") &&
		json.Unmarshal(res.Body, &e) == nil && e.Error.StatusCode == status
}

func TestStatic_ServesFilesWithCachingHeaders(t *testing.T) {
	app := resttest.Start(t, rest.WithController(newTodoController), rest.WithStatic("/", publicFS()))
	res := app.Get("/app.js")
	if res.Status != http.StatusOK || res.Text() != "console.log(1)" {
		t.Fatalf("GET /app.js = %d %q", res.Status, res.Body)
	}
	for name, want := range map[string]string{
		"Content-Type":           "text/javascript; charset=utf-8",
		"Cache-Control":          "public, max-age=0",
		"X-Content-Type-Options": "nosniff",
	} {
		if got := res.Header.Get(name); got != want {
			t.Errorf("GET /app.js: %s = %q, want %q", name, got, want)
		}
	}
	etag := res.Header.Get("ETag")
	if etag == "" || res.Header.Get("Last-Modified") != "" {
		t.Errorf("GET /app.js: ETag %q, Last-Modified %q: want a hash, and no date for a file without one", etag, res.Header.Get("Last-Modified"))
	}
	if res := app.Get("/app.js", "If-None-Match", etag); res.Status != http.StatusNotModified || len(res.Body) != 0 {
		t.Errorf("GET /app.js with its ETag = %d %q, want 304", res.Status, res.Body)
	}

	res = app.Get("/css/site.css")
	lm := res.Header.Get("Last-Modified")
	if res.Status != http.StatusOK || lm != modified.Format(http.TimeFormat) || !strings.HasPrefix(res.Header.Get("ETag"), `W/"`) {
		t.Errorf("GET /css/site.css = %d, Last-Modified %q, ETag %q", res.Status, lm, res.Header.Get("ETag"))
	}
	if res := app.Get("/css/site.css", "If-Modified-Since", lm); res.Status != http.StatusNotModified {
		t.Errorf("GET /css/site.css If-Modified-Since = %d, want 304", res.Status)
	}
	if res := app.Do(http.MethodHead, "/app.js", nil); res.Status != http.StatusOK || len(res.Body) != 0 || res.Header.Get("Content-Length") != "14" {
		t.Errorf("HEAD /app.js = %d %v %q", res.Status, res.Header, res.Body)
	}
	if res := app.Get("/app.js", "Range", "bytes=0-6"); res.Status != http.StatusPartialContent || res.Text() != "console" {
		t.Errorf("GET /app.js Range = %d %q", res.Status, res.Body)
	}
	if res := app.Get("/app.js", "Range", "bytes=100-200"); !isEnvelope(t, res, http.StatusRequestedRangeNotSatisfiable) {
		t.Errorf("GET /app.js with a Range past its end = %d %v %q, want a 416 envelope", res.Status, res.Header, res.Body)
	}
	if res := app.Get("/app.js", "If-Match", `"other"`); !isEnvelope(t, res, http.StatusPreconditionFailed) {
		t.Errorf("GET /app.js If-Match another = %d %q, want a 412 envelope", res.Status, res.Body)
	}
}

func TestStatic_DirectoriesAnswerTheirIndexAndAreNeverListed(t *testing.T) {
	app := resttest.Start(t, rest.WithController(newTodoController), rest.WithStatic("/", publicFS()))
	noRedirects(app)
	if res := app.Get("/"); res.Status != http.StatusOK || res.Text() != "<h1>home</h1>" || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("GET / = %d %v %q, want index.html", res.Status, res.Header, res.Body)
	}
	if res := app.Get("/docs?x=1"); res.Status != http.StatusMovedPermanently || res.Header.Get("Location") != "/docs/?x=1" {
		t.Errorf("GET /docs = %d %v, want 301 to /docs/", res.Status, res.Header)
	}
	if res := app.Get("/docs/"); res.Status != http.StatusOK || res.Text() != "<h1>docs</h1>" {
		t.Errorf("GET /docs/ = %d %q", res.Status, res.Body)
	}
	if res := app.Get("/empty/"); !isEnvelope(t, res, http.StatusNotFound) {
		t.Errorf("GET /empty/ = %d %q, want the API's 404: no listing", res.Status, res.Body)
	}
	if res := app.Get("/app.js/"); !isEnvelope(t, res, http.StatusNotFound) {
		t.Errorf("GET /app.js/ = %d %q, want 404", res.Status, res.Body)
	}
}

func TestStatic_ARouteWinsOverAFileOfTheSamePath(t *testing.T) {
	app := resttest.Start(t, rest.WithController(newTodoController), rest.WithStatic("/", publicFS()))
	res := app.Get("/todos/count")
	if res.Status != http.StatusOK || res.Text() != `{"count":3}` {
		t.Errorf("GET /todos/count = %d %q, want the route's answer", res.Status, res.Body)
	}
	if res := app.Do(http.MethodHead, "/todos/count", nil); !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("HEAD /todos/count: Content-Type %q, want the route's", res.Header.Get("Content-Type"))
	}
}

func TestStatic_OnlyGETAndHEAD(t *testing.T) {
	app := resttest.Start(t, rest.WithController(newTodoController), rest.WithStatic("/", publicFS()))
	if res := app.Post("/app.js", nil); !isEnvelope(t, res, http.StatusNotFound) {
		t.Errorf("POST /app.js = %d %q, want the API's 404", res.Status, res.Body)
	}
	if res := app.Get("/missing.js"); !isEnvelope(t, res, http.StatusNotFound) {
		t.Errorf("GET /missing.js = %d %q, want the API's 404", res.Status, res.Body)
	}
}

// rawGet sends target as the request line's target, unchanged.
func rawGet(t *testing.T, base, target string) (int, string) {
	t.Helper()
	u, _ := url.Parse(base)
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer res.Body.Close()
	var b strings.Builder
	_, _ = bufio.NewReader(res.Body).WriteTo(&b)
	return res.StatusCode, b.String()
}

func TestStatic_NeverServesAFileOutsideItsDirectory(t *testing.T) {
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	if err := os.MkdirAll(filepath.Join(public, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"secret.txt": "SECRET", "public/ok.txt": "ok", "public/sub/a.txt": "a"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	app := resttest.Start(t, rest.WithController(newTodoController), rest.WithStatic("/files", os.DirFS(public)))
	if code, body := rawGet(t, app.URL(), "/files/ok.txt"); code != http.StatusOK || body != "ok" {
		t.Fatalf("GET /files/ok.txt = %d %q", code, body)
	}
	for _, target := range []string{
		"/files/../secret.txt",
		"/files/sub/../../secret.txt",
		"/files/%2e%2e/secret.txt",
		"/files/sub/%2E%2E%2F%2E%2E%2Fsecret.txt",
		"/files/..%5csecret.txt",
		"/files/sub\\..\\..\\secret.txt",
		"/files/ok.txt%00.png",
		"/files//ok.txt",
		"/files/./ok.txt",
	} {
		code, body := rawGet(t, app.URL(), target)
		if strings.Contains(body, "SECRET") || code != http.StatusNotFound && code != http.StatusBadRequest || !strings.Contains(body, `"error"`) {
			t.Errorf("GET %s = %d %q, want a 404 or 400 envelope", target, code, body)
		}
	}
}

func TestStatic_SeveralMountsUnderTheBasePath(t *testing.T) {
	app := resttest.Start(t,
		rest.WithConfig(rest.Config{BasePath: "/api"}),
		rest.WithController(newTodoController),
		rest.WithStatic("/", fstest.MapFS{"index.html": {Data: []byte("home")}}),
		rest.WithStatic("/assets/", fstest.MapFS{"a.css": {Data: []byte("a")}}, rest.StaticCacheControl("public, max-age=31536000, immutable")),
	)
	if res := app.Get("/"); res.Text() != "home" { // /api/
		t.Errorf("GET /api/ = %d %q", res.Status, res.Body)
	}
	res := app.Get("/assets/a.css")
	if res.Text() != "a" || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("GET /api/assets/a.css = %d %v %q", res.Status, res.Header, res.Body)
	}
	if res := app.Get("/assetsa.css"); res.Status != http.StatusNotFound {
		t.Errorf("GET /api/assetsa.css = %d, want 404", res.Status)
	}
}

package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/openapi/internal/sample"
)

// operationBlock is the element Swagger UI renders per operation.
var operationBlock = regexp.MustCompile(`class="opblock opblock-(get|put|post|patch|delete)[ "]`)

// chromium finds the browser; .ci/run installs Debian's chromium and sets
// LOOM_REQUIRE_CHROMIUM, so that CI fails instead of skipping.
func chromium(t *testing.T) string {
	for _, name := range []string{os.Getenv("LOOM_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("LOOM_REQUIRE_CHROMIUM") != "" {
		t.Fatal("no chromium on PATH, and LOOM_REQUIRE_CHROMIUM is set")
	}
	t.Skip("no chromium on PATH (apt-get install chromium, or set LOOM_CHROMIUM); .ci/run installs it")
	return ""
}

func TestExplorer_rendersTheSampleInHeadlessChromium(t *testing.T) {
	browser := chromium(t)
	// Given the sample application served on a local port, recording the
	// paths it is asked for,
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithController(func() sample.Controller { return sample.Controller{} }),
		rest.WithConfig(rest.Config{OpenAPI: rest.OpenAPIConfig{ServersFromRequest: true}}))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var served []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served = append(served, r.URL.Path)
		mu.Unlock()
		app.ServeHTTP(w, r)
	}))
	defer srv.Close()

	// when headless Chromium loads /explorer/ and lets its scripts run, with
	// every host but the server's unresolvable and its requests logged,
	dir := t.TempDir()
	netLog := filepath.Join(dir, "netlog.json")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"--log-net-log="+netLog, "--virtual-time-budget=20000", "--dump-dom",
		srv.URL+"/explorer/")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}

	// then the UI shows every documented operation of the sample (twelve,
	// the text and multipart bodies included), and not
	// the hidden one,
	page := string(dom)
	if n := len(operationBlock.FindAllString(page, -1)); n != 12 {
		t.Errorf("the explorer shows %d operations, want 12\n%.2000s", n, page)
	}
	for _, path := range []string{"/todos", "/todos/count", "/todos/search", "/todos/{id}", "/todos/{id}/notes", "/todo-lists"} {
		if !strings.Contains(page, `data-path="`+path+`"`) {
			t.Errorf("the explorer does not show %s", path)
		}
	}
	if strings.Contains(page, "/internal/stats") {
		t.Error("the explorer shows the hidden route")
	}
	// having fetched the document and its assets from the server,
	mu.Lock()
	got := strings.Join(served, " ")
	mu.Unlock()
	for _, want := range []string{"/explorer/", "/openapi.json", "/explorer/swagger-ui-bundle.js", "/explorer/swagger-ui.css"} {
		if !strings.Contains(" "+got+" ", " "+want+" ") {
			t.Errorf("the server was not asked for %s (asked: %s)", want, got)
		}
	}
	// and the page requested nothing outside the server.
	requests, err := pageRequests(netLog, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if len(requests) == 0 {
		t.Fatal("the net log records no request of the page")
	}
	for _, u := range requests {
		if u != srv.URL && !strings.HasPrefix(u, srv.URL+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page requested %s, outside the server", u)
		}
	}
}

// pageRequests lists the URLs the page at origin requested, from a
// Chromium net log: URL_REQUEST_START_JOB events initiated by the page or
// isolated under its site. The browser's own traffic (update checks and
// the like, initiated by no origin and isolated under none of the page's)
// is not the page's.
func pageRequests(netLog, origin string) ([]string, error) {
	raw, err := os.ReadFile(netLog)
	if err != nil {
		return nil, err
	}
	var log struct {
		Constants struct {
			LogEventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int `json:"type"`
			Params struct {
				URL                 string `json:"url"`
				Initiator           string `json:"initiator"`
				NetworkIsolationKey string `json:"network_isolation_key"`
			} `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(raw, &log); err != nil {
		// A log cut short at exit lacks its closing brackets.
		fixed := append(bytes.TrimRight(bytes.TrimSpace(raw), ","), "]}"...)
		if err2 := json.Unmarshal(fixed, &log); err2 != nil {
			return nil, err
		}
	}
	start, ok := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok {
		return nil, os.ErrNotExist
	}
	site := strings.Split(origin, ":")[0] + ":" + strings.Split(origin, ":")[1] // http://127.0.0.1
	var out []string
	for _, e := range log.Events {
		p := e.Params
		if e.Type != start || p.URL == "" {
			continue
		}
		if p.Initiator == origin || strings.HasPrefix(p.NetworkIsolationKey, site+" ") {
			out = append(out, p.URL)
		}
	}
	return out, nil
}

func TestPageRequests_reportsARequestOutsideTheServer(t *testing.T) {
	// Given a net log where the page asked its server and a CDN, and the
	// browser asked an update server,
	log := `{"constants":{"logEventTypes":{"URL_REQUEST_START_JOB":7}},"events":[
	{"type":7,"params":{"url":"http://127.0.0.1:9/explorer/","initiator":"not an origin","network_isolation_key":"http://127.0.0.1 http://127.0.0.1"}},
	{"type":7,"params":{"url":"https://unpkg.com/swagger-ui-dist/swagger-ui.css","initiator":"http://127.0.0.1:9","network_isolation_key":"http://127.0.0.1 http://127.0.0.1"}},
	{"type":7,"params":{"url":"https://update.googleapis.com/x","initiator":"not an origin","network_isolation_key":"null null"}},`
	path := filepath.Join(t.TempDir(), "netlog.json")
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	// when the page's requests are read (from a log cut short),
	got, err := pageRequests(path, "http://127.0.0.1:9")
	// then they are the page's two, the CDN among them.
	if err != nil || len(got) != 2 || got[1] != "https://unpkg.com/swagger-ui-dist/swagger-ui.css" {
		t.Errorf("pageRequests = %v, %v", got, err)
	}
}

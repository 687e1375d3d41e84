package browsertest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/loomhq/loom/examples/todo-jwt/internal/browsertest"
)

// fakeDriver is a WebDriver endpoint of one page: a button that, once
// clicked, reveals a paragraph; an input that keeps what is typed.
type fakeDriver struct {
	mu       sync.Mutex
	clicked  bool
	typed    string
	commands []string // method and path of each command
	caps     map[string]any
	deleted  bool
}

func (f *fakeDriver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.commands = append(f.commands, r.Method+" "+r.URL.Path)
	var in map[string]any
	_ = json.NewDecoder(r.Body).Decode(&in)
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"value": v})
	}
	element := func(id string) { reply(200, map[string]string{"element-6066-11e4-a52e-4f735466cecf": id}) }
	switch p := strings.TrimPrefix(r.URL.Path, "/session"); {
	case p == "" && r.Method == http.MethodPost:
		f.caps, _ = in["capabilities"].(map[string]any)
		reply(200, map[string]any{"sessionId": "s1", "capabilities": map[string]any{}})
	case p == "/s1" && r.Method == http.MethodDelete:
		f.deleted = true
		reply(200, nil)
	case p == "/s1/timeouts", p == "/s1/url":
		reply(200, nil)
	case p == "/s1/source":
		reply(200, "<html>the page</html>")
	case p == "/s1/element" && in["value"] == "button":
		element("b")
	case p == "/s1/element" && in["value"] == "input":
		element("i")
	case p == "/s1/element" && in["value"] == "p" && f.clicked:
		element("p")
	case p == "/s1/element":
		reply(404, map[string]string{"error": "no such element", "message": "no such element: Unable to locate element\n(Session info: chrome)"})
	case p == "/s1/element/b/click":
		f.clicked = true
		reply(200, nil)
	case p == "/s1/element/i/value":
		f.typed += fmt.Sprint(in["text"])
		reply(200, nil)
	case p == "/s1/element/p/text":
		reply(200, "clicked")
	case p == "/s1/element/i/attribute/value":
		reply(200, f.typed)
	case p == "/s1/element/i/attribute/title":
		reply(200, nil)
	default:
		reply(404, map[string]string{"error": "unknown command", "message": r.URL.Path})
	}
}

// fakeTB records a failure or a skip, and stops the function that
// called Fatalf or Skipf (by panicking) without stopping the test.
type fakeTB struct {
	cleanups []func()
	failed   string
	skipped  string
}

type stop struct{}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
	panic(stop{})
}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = fmt.Sprintf(format, args...)
	panic(stop{})
}

// run calls fn with tb, recovering its stop, then runs its cleanups.
func (f *fakeTB) run(fn func(tb browsertest.TB)) {
	defer func() {
		for i := len(f.cleanups) - 1; i >= 0; i-- {
			f.cleanups[i]()
		}
	}()
	defer func() {
		if r := recover(); r != nil && r != (stop{}) {
			panic(r)
		}
	}()
	fn(f)
}

func ExampleNewSession() {
	// A WebDriver endpoint; browsertest.Open starts ChromeDriver for one.
	driver := httptest.NewServer(&fakeDriver{})
	defer driver.Close()
	tb := &fakeTB{} // a test's *testing.T
	tb.run(func(tb browsertest.TB) {
		browser := browsertest.NewSession(tb, driver.URL, map[string]any{"browserName": "chrome"})
		browser.Navigate("http://127.0.0.1:3000/explorer/")
		browser.Find("input").SendKeys("a token")
		browser.Find("button").Click()
		// Find waits for the paragraph the click shows.
		fmt.Println(browser.Find("p").Text())
	})
	// Output: clicked
}

func TestNewSession_speaksW3CWebDriver(t *testing.T) {
	// Given a WebDriver endpoint,
	f := &fakeDriver{}
	driver := httptest.NewServer(f)
	defer driver.Close()
	tb := &fakeTB{}
	var typed, title string
	// when a session is opened, a page loaded, an input typed into and
	// read, and the session ends,
	tb.run(func(tb browsertest.TB) {
		s := browsertest.NewSession(tb, driver.URL, browsertest.ChromeOptions("/usr/bin/chromium", "/tmp/profile"))
		s.Navigate("http://127.0.0.1:9/")
		in := s.Find("input")
		in.SendKeys("a ")
		in.SendKeys("token")
		typed, title = in.Attribute("value"), in.Attribute("title")
	})
	// then the session was made with the browser's binary and a fresh
	// profile, asked to wait for elements, and deleted at the end,
	if tb.failed != "" || typed != "a token" || title != "" {
		t.Fatalf("failed %q, typed %q, title %q", tb.failed, typed, title)
	}
	opts, _ := f.caps["alwaysMatch"].(map[string]any)["goog:chromeOptions"].(map[string]any)
	args := fmt.Sprint(opts["args"])
	if opts["binary"] != "/usr/bin/chromium" || !strings.Contains(args, "--headless") || !strings.Contains(args, "--user-data-dir=/tmp/profile") {
		t.Errorf("chromeOptions = %v", opts)
	}
	got := strings.Join(f.commands, ", ")
	want := "POST /session, POST /session/s1/timeouts, POST /session/s1/url, POST /session/s1/element, " +
		"POST /session/s1/element/i/value, POST /session/s1/element/i/value, " +
		"GET /session/s1/element/i/attribute/value, GET /session/s1/element/i/attribute/title, DELETE /session/s1"
	if got != want {
		t.Errorf("commands:\n%s\nwant\n%s", got, want)
	}
}

func TestFind_aMissingElementFailsWithThePage(t *testing.T) {
	// Given a page without the element,
	driver := httptest.NewServer(&fakeDriver{})
	defer driver.Close()
	tb := &fakeTB{}
	// when a test looks for it (the endpoint answering "no such element"
	// once its implicit wait is over),
	tb.run(func(tb browsertest.TB) {
		browsertest.NewSession(tb, driver.URL, nil).Find("p").Text()
		t.Error("Find went on without the element")
	})
	// then the test fails, saying what was missing, and showing the page.
	for _, want := range []string{`find css selector "p"`, "404 no such element: no such element: Unable to locate element", "<html>the page</html>"} {
		if !strings.Contains(tb.failed, want) {
			t.Errorf("failure %q lacks %q", tb.failed, want)
		}
	}
	if strings.Contains(tb.failed, "Session info") {
		t.Errorf("failure %q holds more than the error's first line", tb.failed)
	}
}

func TestNewSession_anEndpointThatIsNotWebDriverFails(t *testing.T) {
	// Given a server that answers something else than WebDriver,
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "teapot", http.StatusTeapot)
	}))
	defer srv.Close()
	tb := &fakeTB{}
	// when a session is asked of it,
	tb.run(func(tb browsertest.TB) { browsertest.NewSession(tb, srv.URL, nil) })
	// then the test fails with its answer.
	if !strings.Contains(tb.failed, "418 unknown error: teapot") {
		t.Errorf("failure = %q", tb.failed)
	}
}

func TestBinaries_skipsOrFailsWithoutChromium(t *testing.T) {
	// Given no browser and no driver to be found,
	t.Setenv("PATH", t.TempDir())
	t.Setenv("LOOM_CHROMIUM", "")
	t.Setenv("LOOM_CHROMEDRIVER", "")
	// when a test asks for them, it is skipped, saying how to install
	// chromium,
	t.Setenv("LOOM_REQUIRE_CHROMIUM", "")
	tb := &fakeTB{}
	tb.run(func(tb browsertest.TB) { browsertest.Binaries(tb) })
	if tb.failed != "" || !strings.Contains(tb.skipped, "apt-get install chromium") {
		t.Errorf("skipped %q, failed %q", tb.skipped, tb.failed)
	}
	// or, when LOOM_REQUIRE_CHROMIUM is set, it fails.
	t.Setenv("LOOM_REQUIRE_CHROMIUM", "1")
	tb = &fakeTB{}
	tb.run(func(tb browsertest.TB) { browsertest.Binaries(tb) })
	if tb.skipped != "" || !strings.Contains(tb.failed, "LOOM_REQUIRE_CHROMIUM is set") {
		t.Errorf("skipped %q, failed %q", tb.skipped, tb.failed)
	}
	// A browser without its driver names the driver's package,
	bin := t.TempDir()
	t.Setenv("PATH", bin)
	if err := os.WriteFile(filepath.Join(bin, "chromium"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tb = &fakeTB{}
	tb.run(func(tb browsertest.TB) { browsertest.Binaries(tb) })
	if !strings.Contains(tb.failed, "no chromedriver on PATH (apt-get install chromium-driver") {
		t.Errorf("failed %q", tb.failed)
	}
	// and with both, they are found.
	if err := os.WriteFile(filepath.Join(bin, "chromedriver"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tb = &fakeTB{}
	var browser, driver string
	tb.run(func(tb browsertest.TB) { browser, driver = browsertest.Binaries(tb) })
	if browser != filepath.Join(bin, "chromium") || driver != filepath.Join(bin, "chromedriver") || tb.failed != "" {
		t.Errorf("Binaries = %q, %q (failed %q)", browser, driver, tb.failed)
	}
}

func TestStartDriver_aDriverThatExitsFailsWithItsOutput(t *testing.T) {
	// Given a driver that exits without saying it is ready,
	path := filepath.Join(t.TempDir(), "chromedriver")
	script := "#!/bin/sh\necho 'Starting ChromeDriver on port 0'\necho 'bind() failed' >&2\nexit 1\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	tb := &fakeTB{}
	// when it is started,
	var url string
	tb.run(func(tb browsertest.TB) { url = browsertest.StartDriver(tb, path) })
	// then the test fails with what it printed.
	if url != "" || !strings.Contains(tb.failed, "exited before it was ready") ||
		!strings.Contains(tb.failed, "Starting ChromeDriver on port 0") || !strings.Contains(tb.failed, "bind() failed") {
		t.Errorf("url %q, failure %q", url, tb.failed)
	}
}

func TestStartDriver_answersThePortTheDriverReports(t *testing.T) {
	// Given a driver that says it started on port 4444,
	path := filepath.Join(t.TempDir(), "chromedriver")
	script := "#!/bin/sh\necho 'ChromeDriver was started successfully on port 4444.'\nexec cat\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	tb := &fakeTB{}
	// when it is started, its URL is there, and it is stopped at the end.
	var url string
	tb.run(func(tb browsertest.TB) { url = browsertest.StartDriver(tb, path) })
	if url != "http://127.0.0.1:4444" || tb.failed != "" {
		t.Errorf("url %q, failure %q", url, tb.failed)
	}
}

package browsertest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// Timeout bounds each wait of a session: the implicit wait of its
// searches, a page load, and each WebDriver request. It is generous on
// purpose: it only ends a test that would fail anyway.
const Timeout = 60 * time.Second

// TB is the part of testing.TB the package uses.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
	Cleanup(func())
}

// ChromiumArgs are the command-line flags the browser starts with:
// headless, without a sandbox (CI runs as root), and without the
// background traffic a closed network refuses. [ChromeOptions] adds a
// fresh --user-data-dir.
var ChromiumArgs = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-dev-shm-usage", "--window-size=1280,1024",
}

// Binaries finds the browser and ChromeDriver: LOOM_CHROMIUM, then
// chromium, chromium-browser or google-chrome on PATH; LOOM_CHROMEDRIVER,
// then chromedriver on PATH. When either is missing it skips the test,
// or fails it when LOOM_REQUIRE_CHROMIUM is set.
func Binaries(tb TB) (browser, driver string) {
	tb.Helper()
	browser = lookPath(os.Getenv("LOOM_CHROMIUM"), "chromium", "chromium-browser", "google-chrome")
	driver = lookPath(os.Getenv("LOOM_CHROMEDRIVER"), "chromedriver")
	if browser != "" && driver != "" {
		return browser, driver
	}
	missing := "no chromium on PATH (apt-get install chromium, or set LOOM_CHROMIUM)"
	if browser != "" {
		missing = "no chromedriver on PATH (apt-get install chromium-driver, or set LOOM_CHROMEDRIVER)"
	}
	if os.Getenv("LOOM_REQUIRE_CHROMIUM") != "" {
		tb.Fatalf("browsertest: %s, and LOOM_REQUIRE_CHROMIUM is set", missing)
	}
	tb.Skipf("browsertest: %s; .ci/run installs both", missing)
	return "", ""
}

// lookPath is the path of the first of names found; "" for none.
func lookPath(names ...string) string {
	for _, name := range names {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}

// startedOn is ChromeDriver's line saying it is ready, and where.
var startedOn = regexp.MustCompile(`started successfully on port (\d+)`)

// StartDriver starts the ChromeDriver at path on a free port of
// 127.0.0.1 and answers its URL once it says it is ready; it stops when
// the test ends.
func StartDriver(tb TB, path string) string {
	tb.Helper()
	cmd := exec.Command(path, "--port=0", "--allowed-ips=127.0.0.1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatalf("browsertest: %v", err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		tb.Fatalf("browsertest: start %s: %v", path, err)
	}
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	// ChromeDriver prints the port it listens on once it listens; its
	// output then goes on to the end, unread but drained.
	lines := bufio.NewScanner(out)
	var seen []string
	for lines.Scan() {
		seen = append(seen, lines.Text())
		if m := startedOn.FindStringSubmatch(lines.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			return "http://127.0.0.1:" + m[1]
		}
	}
	_ = cmd.Wait() // for the rest of its stderr
	tb.Fatalf("browsertest: %s exited before it was ready:\n%s\n%s", path, strings.Join(seen, "\n"), stderr.String())
	return ""
}

// ChromeOptions are the capabilities of a session of headless Chromium
// at browser, with [ChromiumArgs] and the profile in userDataDir.
func ChromeOptions(browser, userDataDir string) map[string]any {
	return map[string]any{
		"browserName": "chrome",
		"goog:chromeOptions": map[string]any{
			"binary": browser,
			"args":   append(append([]string(nil), ChromiumArgs...), "--user-data-dir="+userDataDir),
		},
	}
}

// Open starts headless Chromium under a ChromeDriver of its own, in a
// fresh profile, and answers the session; both end with the test. It
// skips the test when the binaries are missing (see [Binaries]).
func Open(tb TB) *Session {
	tb.Helper()
	browser, driver := Binaries(tb)
	profile, err := os.MkdirTemp("", "browsertest-profile-")
	if err != nil {
		tb.Fatalf("browsertest: %v", err)
	}
	tb.Cleanup(func() { _ = os.RemoveAll(profile) })
	endpoint := StartDriver(tb, driver)
	return NewSession(tb, endpoint, ChromeOptions(browser, profile))
}

// Session is a browser session of a WebDriver endpoint.
type Session struct {
	tb     TB
	client *http.Client
	base   string // the endpoint's URL/session/{id}
}

// NewSession opens a session of the WebDriver endpoint at driverURL with
// capabilities (the W3C alwaysMatch ones), its searches waiting up to
// [Timeout]; the session is deleted, and its browser closed, when the
// test ends.
func NewSession(tb TB, driverURL string, capabilities map[string]any) *Session {
	tb.Helper()
	s := &Session{tb: tb, client: &http.Client{Timeout: Timeout + 30*time.Second}}
	var created struct {
		SessionID string `json:"sessionId"`
	}
	s.call(http.MethodPost, driverURL+"/session",
		map[string]any{"capabilities": map[string]any{"alwaysMatch": capabilities}}, &created)
	if created.SessionID == "" {
		tb.Fatalf("browsertest: %s answered no session id", driverURL)
	}
	s.base = driverURL + "/session/" + created.SessionID
	tb.Cleanup(func() {
		if req, err := http.NewRequest(http.MethodDelete, s.base, nil); err == nil {
			if resp, err := s.client.Do(req); err == nil {
				resp.Body.Close()
			}
		}
	})
	ms := Timeout.Milliseconds()
	s.call(http.MethodPost, s.base+"/timeouts", map[string]any{"implicit": ms, "pageLoad": ms, "script": ms}, nil)
	return s
}

// Navigate loads url and answers when it has loaded.
func (s *Session) Navigate(url string) {
	s.tb.Helper()
	s.call(http.MethodPost, s.base+"/url", map[string]any{"url": url}, nil)
}

// Source is the page's current HTML.
func (s *Session) Source() string {
	s.tb.Helper()
	var src string
	s.call(http.MethodGet, s.base+"/source", nil, &src)
	return src
}

// Find answers the first element that matches the CSS selector, waiting
// until there is one.
func (s *Session) Find(css string) *Element {
	s.tb.Helper()
	return s.find(s.base, "css selector", css)
}

// FindXPath answers the first element that matches the XPath
// expression, waiting until there is one.
func (s *Session) FindXPath(xpath string) *Element {
	s.tb.Helper()
	return s.find(s.base, "xpath", xpath)
}

// webElement is the W3C key of an element reference.
const webElement = "element-6066-11e4-a52e-4f735466cecf"

func (s *Session) find(from, using, value string) *Element {
	s.tb.Helper()
	var ref map[string]string
	if err := s.do(http.MethodPost, from+"/element", map[string]any{"using": using, "value": value}, &ref); err != nil {
		s.tb.Fatalf("browsertest: find %s %q: %v\npage:\n%.4000s", using, value, err, s.sourceOrError())
	}
	id := ref[webElement]
	if id == "" {
		s.tb.Fatalf("browsertest: find %s %q: no element reference in %v", using, value, ref)
	}
	return &Element{s: s, base: s.base + "/element/" + id, desc: value}
}

// sourceOrError is the page's source for a failure's message.
func (s *Session) sourceOrError() string {
	var src string
	if err := s.do(http.MethodGet, s.base+"/source", nil, &src); err != nil {
		return "(no source: " + err.Error() + ")"
	}
	return src
}

// Element is an element of the session's page.
type Element struct {
	s    *Session
	base string // the session's URL/element/{id}
	desc string // how it was found, for messages
}

// Find answers the first element inside e that matches the CSS
// selector, waiting until there is one.
func (e *Element) Find(css string) *Element {
	e.s.tb.Helper()
	return e.s.find(e.base, "css selector", css)
}

// Click clicks the element, scrolled into view.
func (e *Element) Click() {
	e.s.tb.Helper()
	e.act(http.MethodPost, "/click", map[string]any{}, nil)
}

// SendKeys types text into the element.
func (e *Element) SendKeys(text string) {
	e.s.tb.Helper()
	e.act(http.MethodPost, "/value", map[string]any{"text": text}, nil)
}

// Text is the element's rendered text.
func (e *Element) Text() string {
	e.s.tb.Helper()
	var text string
	e.act(http.MethodGet, "/text", nil, &text)
	return text
}

// Attribute is the element's attribute name; "" when it has none.
func (e *Element) Attribute(name string) string {
	e.s.tb.Helper()
	var value *string
	e.act(http.MethodGet, "/attribute/"+url.PathEscape(name), nil, &value)
	if value == nil {
		return ""
	}
	return *value
}

func (e *Element) act(method, path string, body, into any) {
	e.s.tb.Helper()
	if err := e.s.do(method, e.base+path, body, into); err != nil {
		e.s.tb.Fatalf("browsertest: %s %q: %v\npage:\n%.4000s", strings.TrimPrefix(path, "/"), e.desc, err, e.s.sourceOrError())
	}
}

// call sends a command and fails the test on an error.
func (s *Session) call(method, url string, body, into any) {
	s.tb.Helper()
	if err := s.do(method, url, body, into); err != nil {
		s.tb.Fatalf("browsertest: %s %s: %v", method, url, err)
	}
}

// Error is a WebDriver error: its code ("no such element", …) and
// message.
type Error struct {
	// Status is the HTTP status of the answer.
	Status int `json:"-"`
	// Code is the WebDriver error code; "unknown error" when the answer
	// is not WebDriver's.
	Code string `json:"error"`
	// Message is the endpoint's explanation, or the answer's body.
	Message string `json:"message"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, firstLine(e.Message))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// maxReply caps a WebDriver answer read (a page's source is the largest).
const maxReply = 32 << 20

// do sends a WebDriver command and decodes the answer's value into into.
func (s *Session) do(method, url string, body, into any) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		e := &Error{Status: resp.StatusCode}
		var reply struct{ Value *Error }
		reply.Value = e
		if json.Unmarshal(raw, &reply) != nil || e.Code == "" {
			e.Code, e.Message = "unknown error", string(raw)
		}
		return e
	}
	if into == nil {
		return nil
	}
	reply := struct{ Value any }{Value: into}
	return json.Unmarshal(raw, &reply)
}

package rest_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loomhq/loom/rest"
)

// headOf is a GET /todos/count whose head (request line, headers, blank
// line) is exactly size bytes, padded with an X-Pad header.
func headOf(t *testing.T, size int) string {
	t.Helper()
	const start = "GET /todos/count HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Pad: "
	const end = "\r\n\r\n"
	pad := size - len(start) - len(end)
	if pad < 1 {
		t.Fatalf("a head of %d bytes is too short to pad", size)
	}
	return start + strings.Repeat("a", pad) + end
}

// rawExchange writes raw to the server of app and reads every response
// the server sends before it closes the connection.
func rawExchange(t *testing.T, app *rest.Application, raw string) []*http.Response {
	t.Helper()
	u, err := url.Parse(app.URL())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Not an assertion: a broken server must fail the test, not hang it.
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	var out []*http.Response
	for {
		resp, err := http.ReadResponse(br, nil)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("reading response %d: %v", len(out)+1, err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body = io.NopCloser(strings.NewReader(string(body)))
		out = append(out, resp)
		if resp.Close {
			return out
		}
	}
}

func textOf(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// expectHeadersTooLarge checks resp is the 431 envelope naming limit.
func expectHeadersTooLarge(t *testing.T, resp *http.Response, limit int) {
	t.Helper()
	want := fmt.Sprintf(`{"error":{"statusCode":431,"name":"RequestHeaderFieldsTooLargeError",`+
		`"message":"The request line and headers are longer than %d bytes.","code":"REQUEST_HEADER_FIELDS_TOO_LARGE"}}`, limit)
	if got := textOf(t, resp); resp.StatusCode != 431 || got != want {
		t.Errorf("got %d %s\nwant 431 %s", resp.StatusCode, got, want)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || !(resp.Close || resp.Header.Get("Connection") == "close") {
		t.Errorf("headers %v: want nosniff and Connection: close", resp.Header)
	}
}

func expectCounted(t *testing.T, resp *http.Response) {
	t.Helper()
	if got := textOf(t, resp); resp.StatusCode != 200 || got != `{"count":3}` {
		t.Errorf("got %d %s, want 200 {\"count\":3}", resp.StatusCode, got)
	}
}

func TestHeaderLimit_TwentyKilobytesOfHeadersAreAnsweredInTheEnvelope(t *testing.T) {
	// Given a server with the default limit, 16 KiB as Node's,
	app := startApp(t, newTodoController(), rest.WithConfig(rest.Config{Host: "127.0.0.1"}))
	// when a client sends 20 KB of headers, then it gets a 431 in the
	// envelope, not net/http's plain text.
	resps := rawExchange(t, app, headOf(t, 20<<10))
	if len(resps) != 1 {
		t.Fatalf("%d responses, want 1", len(resps))
	}
	expectHeadersTooLarge(t, resps[0], 16384)
}

func TestHeaderLimit_FifteenKilobytesOfHeadersAreServed(t *testing.T) {
	app := startApp(t, newTodoController(), rest.WithConfig(rest.Config{Host: "127.0.0.1"}))
	resps := rawExchange(t, app, headOf(t, 15<<10))
	if len(resps) != 1 {
		t.Fatalf("%d responses, want 1", len(resps))
	}
	expectCounted(t, resps[0])
}

func TestHeaderLimit_HoldsToTheByteWithoutNetHTTPsSlack(t *testing.T) {
	// net/http reads MaxHeaderBytes + 4096 bytes of a head: exactly the
	// limit must pass, and one byte more must not.
	app := startApp(t, newTodoController(), rest.WithConfig(rest.Config{Host: "127.0.0.1"}))
	expectCounted(t, rawExchange(t, app, headOf(t, 16384))[0])
	expectHeadersTooLarge(t, rawExchange(t, app, headOf(t, 16385))[0], 16384)
}

func TestHeaderLimit_IsConfigurable(t *testing.T) {
	app := startApp(t, newTodoController(), rest.WithConfig(rest.Config{Host: "127.0.0.1", MaxHeaderBytes: 32 << 10}))
	expectCounted(t, rawExchange(t, app, headOf(t, 20<<10))[0])
	expectCounted(t, rawExchange(t, app, headOf(t, 32<<10))[0])
	expectHeadersTooLarge(t, rawExchange(t, app, headOf(t, 32<<10+1))[0], 32<<10)
}

func TestHeaderLimit_HoldsBelowNetHTTPsSmallestLimit(t *testing.T) {
	// net/http cannot stop reading before 4097 bytes; the server measures
	// the head it parsed.
	app := startApp(t, newTodoController(), rest.WithConfig(rest.Config{Host: "127.0.0.1", MaxHeaderBytes: 1000}))
	expectCounted(t, rawExchange(t, app, headOf(t, 1000))[0])
	expectHeadersTooLarge(t, rawExchange(t, app, headOf(t, 2000))[0], 1000)
}

func TestHeaderLimit_HoldsForAPipelinedRequest(t *testing.T) {
	// Given a request sent right behind another, in one write, so that
	// net/http may have read part of it ahead before measuring its head,
	app := startApp(t, newTodoController(), rest.WithConfig(rest.Config{Host: "127.0.0.1"}))
	first := "GET /todos/count HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
	// then the first is served and the second, 20 KB, refused.
	resps := rawExchange(t, app, first+headOf(t, 20<<10))
	if len(resps) != 2 {
		t.Fatalf("%d responses, want 2", len(resps))
	}
	expectCounted(t, resps[0])
	expectHeadersTooLarge(t, resps[1], 16384)
}

func TestHeaderLimit_HoldsWithoutAListener(t *testing.T) {
	// Served through Application.ServeHTTP, as a test or another server
	// does, the limit holds too.
	app := docApp(t, rest.Config{})
	req := httptest.NewRequest(http.MethodGet, "/todos/count", nil)
	req.Header.Set("X-Pad", strings.Repeat("a", 20<<10))
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, req)
	expectHeadersTooLarge(t, rec.Result(), 16384)
	if rec := get(app, "/todos/count", "X-Pad", strings.Repeat("a", 15<<10)); rec.Code != 200 {
		t.Errorf("15 KB of headers: %d %s", rec.Code, rec.Body.String())
	}
}

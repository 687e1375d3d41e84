package resttest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/loomhq/loom/rest"
)

// TB is the part of testing.TB the helpers use.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
	Cleanup(func())
	Logf(format string, args ...any)
	Name() string
}

// App is an application started for a test, with a client for it.
type App struct {
	*rest.Application
	// Client is an http.Client that talks to the application.
	Client *http.Client
	tb     TB
}

// Start builds the application with opts on a free port of 127.0.0.1 and
// starts it; the application stops when the test ends. Its log goes to
// the test's log unless opts set a logger. Any failure fails the test.
//
// Options given later override earlier ones, so opts may set their own
// rest.WithConfig; its Port is then kept, so set none to get a free one.
func Start(tb TB, opts ...rest.Option) *App {
	tb.Helper()
	base := []rest.Option{rest.WithConfig(rest.Config{Host: "127.0.0.1"})}
	if t, ok := tb.(testing.TB); ok {
		base = append(base, rest.WithLogger(zaptest.NewLogger(t)))
	}
	app, err := rest.New(append(base, opts...)...)
	if err != nil {
		tb.Fatalf("resttest: build the application: %v", err)
	}
	return Adopt(tb, app)
}

// Adopt starts an application built elsewhere (by the application's own
// constructor, say) and stops it when the test ends. Configure its port as
// 0 for a free one.
func Adopt(tb TB, app *rest.Application) *App {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		tb.Fatalf("resttest: start the application: %v", err)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	tb.Cleanup(func() {
		client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := app.Stop(ctx); err != nil {
			tb.Errorf("resttest: stop the application: %v", err)
		}
	})
	return &App{Application: app, Client: client, tb: tb}
}

// Response is an answer read whole.
type Response struct {
	// Status is the HTTP status code.
	Status int
	// Header is the response's header.
	Header http.Header
	// Body is the response's body.
	Body []byte
}

// JSON decodes the body into v, failing the test if it cannot.
func (r *Response) JSON(tb TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("resttest: body is not the JSON expected (%v): %s", err, r.Body)
	}
}

// Text is the body as a string.
func (r *Response) Text() string { return string(r.Body) }

// Do sends a request to path (relative to the application's URL) and reads
// the answer. A body that is not nil, an io.Reader, []byte or string is sent
// as JSON. header holds name, value pairs.
func (a *App) Do(method, path string, body any, header ...string) *Response {
	a.tb.Helper()
	var rd io.Reader
	contentType := ""
	switch b := body.(type) {
	case nil:
	case io.Reader:
		rd = b
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
		contentType = "application/json"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.tb.Fatalf("resttest: encode the body: %v", err)
		}
		rd = bytes.NewReader(data)
		contentType = "application/json"
	}
	req, err := http.NewRequest(method, a.URL()+path, rd)
	if err != nil {
		a.tb.Fatalf("resttest: %s %s: %v", method, path, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := a.Client.Do(req)
	if err != nil {
		a.tb.Fatalf("resttest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		a.tb.Fatalf("resttest: %s %s: read the body: %v", method, path, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// Get sends a GET.
func (a *App) Get(path string, header ...string) *Response {
	a.tb.Helper()
	return a.Do(http.MethodGet, path, nil, header...)
}

// Post sends a POST with body.
func (a *App) Post(path string, body any, header ...string) *Response {
	a.tb.Helper()
	return a.Do(http.MethodPost, path, body, header...)
}

// Put sends a PUT with body.
func (a *App) Put(path string, body any, header ...string) *Response {
	a.tb.Helper()
	return a.Do(http.MethodPut, path, body, header...)
}

// Patch sends a PATCH with body.
func (a *App) Patch(path string, body any, header ...string) *Response {
	a.tb.Helper()
	return a.Do(http.MethodPatch, path, body, header...)
}

// Delete sends a DELETE.
func (a *App) Delete(path string, header ...string) *Response {
	a.tb.Helper()
	return a.Do(http.MethodDelete, path, nil, header...)
}

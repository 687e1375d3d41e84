package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/loomhq/loom/rest"
)

// startHello starts the example on a free port and returns its URL and
// the log lines it wrote.
func startHello(t *testing.T) (string, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.InfoLevel)
	app, err := NewApp(rest.Config{Host: "127.0.0.1"}, zap.New(core))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := app.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return app.URL(), logs
}

func get(t *testing.T, url, accept string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

func TestHello_AnswersJSONByDefault(t *testing.T) {
	url, _ := startHello(t)
	status, ct, body := get(t, url+"/hello/world", "")
	if status != 200 || ct != "application/json" || body != `{"name":"world","message":"Hello, world!"}` {
		t.Errorf("got %d %q %s", status, ct, body)
	}
}

func TestHello_AnswersCSVWhenAsked(t *testing.T) {
	url, _ := startHello(t)
	status, ct, body := get(t, url+"/greetings?names=ada,alan", "text/csv")
	want := "name,message\nada,\"Hello, ada!\"\nalan,\"Hello, alan!\"\n"
	if status != 200 || ct != "text/csv; charset=utf-8" || body != want {
		t.Errorf("got %d %q %q, want %q", status, ct, body, want)
	}
	// Errors stay in the JSON envelope whatever the client accepts.
	status, ct, body = get(t, url+"/hello/nobody", "text/csv")
	if status != 404 || !strings.HasPrefix(ct, "application/json") || !strings.Contains(body, `"NotFoundError"`) {
		t.Errorf("error: %d %q %s", status, ct, body)
	}
}

func TestHello_LogsBeforeAndAfterEveryRequest(t *testing.T) {
	url, logs := startHello(t)
	get(t, url+"/hello/world", "")
	get(t, url+"/nowhere", "")
	var statuses []int64
	started := 0
	for _, e := range logs.All() {
		switch e.Message {
		case "request started":
			started++
		case "request finished":
			statuses = append(statuses, e.ContextMap()["status"].(int64))
		}
	}
	if started != 2 || len(statuses) != 2 || statuses[0] != 200 || statuses[1] != 404 {
		t.Errorf("started %d, finished with %v", started, statuses)
	}
}

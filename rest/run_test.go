package rest_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/loomhq/loom/rest"
)

func TestRun_StopsGracefullyOnSIGTERM(t *testing.T) {
	app, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithController(newTodoController),
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Run() }()
	for app.URL() == "" { // it starts, or Run returns its error
		select {
		case err := <-done:
			t.Fatalf("Run returned %v before the server started", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if status, _, _ := call(t, "GET", app.URL()+"/todos/1", ""); status != 200 {
		t.Fatalf("status %d", status)
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil { // a Run that ignores SIGTERM meets go test's timeout
		t.Fatalf("Run = %v", err)
	}
}

func TestLogError_Logs5xxOnly(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	app := startApp(t, newTodoController(), rest.WithLogger(zap.New(core)))
	call(t, "GET", app.URL()+"/todos/abc", "")
	call(t, "GET", app.URL()+"/nope", "")
	call(t, "GET", app.URL()+"/fail", "")
	failures := logs.FilterLevelExact(zapcore.ErrorLevel).All()
	if len(failures) != 1 {
		t.Fatalf("%d error lines, want 1 (the 500 only): %v", len(failures), failures)
	}
	f := failures[0].ContextMap()
	if f["method"] != "GET" || f["path"] != "/fail" || f["status"] != int64(500) ||
		!strings.Contains(f["error"].(string), "hunter2") {
		t.Errorf("log fields = %v", f)
	}
}

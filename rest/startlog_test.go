package rest_test

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/loomhq/loom/rest"
)

// runningLog starts an application with cfg and returns the fields of
// its "server is running" entry, and its URL.
func runningLog(t *testing.T, cfg rest.Config) (map[string]any, string) {
	t.Helper()
	core, logs := observer.New(zapcore.InfoLevel)
	app, err := rest.New(rest.WithLogger(zap.New(core)), rest.WithConfig(cfg),
		rest.WithController(newTodoController))
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	url := app.URL()
	if err := app.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	entries := logs.FilterMessage("server is running").All()
	if len(entries) != 1 {
		t.Fatalf("%d entries say the server is running, want 1", len(entries))
	}
	return entries[0].ContextMap(), url
}

func TestStartLog_EveryInterface_SaysSoAndGivesTheLocalURL(t *testing.T) {
	// Given no host, the server listens on every interface;
	fields, url := runningLog(t, rest.Config{})
	port := url[strings.LastIndexByte(url, ':')+1:]
	// the log says so, as net.Listen's ":port", and gives the URL to try here.
	if fields["listen"] != ":"+port || fields["url"] != "http://127.0.0.1:"+port || url != fields["url"] {
		t.Errorf("server is running %v; URL() %s", fields, url)
	}
}

func TestStartLog_OneInterface_SaysWhich(t *testing.T) {
	fields, url := runningLog(t, rest.Config{Host: "127.0.0.1", BasePath: "/api"})
	hostPort := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/api")
	if fields["listen"] != hostPort || fields["url"] != "http://"+hostPort+"/api" {
		t.Errorf("server is running %v; URL() %s", fields, url)
	}
}

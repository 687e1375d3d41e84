package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

// runMainEnv makes TestMainProcess run the command itself, so the tests
// below see what a user sees without building the binary again.
const runMainEnv = "LOOM_TODO_RUN_MAIN"

func TestMainProcess(t *testing.T) {
	if os.Getenv(runMainEnv) == "" {
		t.Skip("runs main() for the start-up error tests")
	}
	os.Args = os.Args[:1] // the command's own arguments: none
	main()
}

// runTodo runs the command with env added and returns all it printed,
// stdout and stderr, and whether it failed.
func runTodo(t *testing.T, env ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestMainProcess$")
	cmd.Env = append(os.Environ(), append([]string{runMainEnv + "=1", "HOST=127.0.0.1", "PORT=0"}, env...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return out.String(), err != nil
}

// shortStartError checks msg is one start-up error of at most five lines,
// printed once, without stack frames.
func shortStartError(t *testing.T, msg string) {
	t.Helper()
	msg = strings.TrimSuffix(msg, "\n")
	if n := strings.Count(msg, "\n") + 1; n > 5 {
		t.Errorf("%d lines, want at most 5:\n%s", n, msg)
	}
	if n := strings.Count(msg, "cannot start"); n != 1 {
		t.Errorf("the error is printed %d times, want once:\n%s", n, msg)
	}
	for _, noise := range []string{"goroutine", "stacktrace", "makeFuncStub", "runtime.main"} {
		if strings.Contains(msg, noise) {
			t.Errorf("the output holds %q:\n%s", noise, msg)
		}
	}
}

func wantAll(t *testing.T, msg string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("the message lacks %q:\n%s", p, msg)
		}
	}
}

func TestNewApplication_WithAnUnparsableDatabaseURL_NamesTheVariableAndNewStore(t *testing.T) {
	_, err := NewApplication(Config{Host: "127.0.0.1", DatabaseURL: "bogus:thing"}, rest.WithLogger(zap.NewNop()))
	if err == nil {
		t.Fatal("NewApplication accepted DATABASE_URL=bogus:thing")
	}
	shortStartError(t, err.Error())
	wantAll(t, err.Error(), "DATABASE_URL is not valid", `unsupported database URL scheme "bogus"`,
		"NewStore (database.go:", `the data source "db"`)
}

func TestTodo_WithAnUnparsableDatabaseURL_PrintsOneShortError(t *testing.T) {
	out, failed := runTodo(t, "DATABASE_URL=bogus:thing")
	if !failed {
		t.Fatalf("the command did not fail:\n%s", out)
	}
	shortStartError(t, out)
	wantAll(t, out, "DATABASE_URL is not valid", `unsupported database URL scheme "bogus"`, "NewStore (database.go:")
}

func TestTodo_WithAnUnreachableDatabase_PrintsOneShortErrorNamingTheVariable(t *testing.T) {
	// Nothing listens on port 1: the connection is refused at once.
	out, failed := runTodo(t, "DATABASE_URL=postgres://todo@127.0.0.1:1/todo?sslmode=disable&connect_timeout=5")
	if !failed {
		t.Fatalf("the command did not fail:\n%s", out)
	}
	shortStartError(t, out)
	wantAll(t, out, `the data source "db", built by `, "NewStore (database.go:", "failed to start",
		"127.0.0.1:1", "check DATABASE_URL")
}

// countAgain is a second controller of GET /todos/count.
type countAgain struct{}

func (c countAgain) Routes() []controller.Route {
	return []controller.Route{controller.Get("/todos/count", c.Count)}
}

func (countAgain) Count(ctx context.Context, _ struct{}) (int, error) { return 0, nil }

func TestNewApplication_WithTwoControllersOnOneRoute_NamesBothRoutesAndHandlers(t *testing.T) {
	_, err := NewApplication(Config{Host: "127.0.0.1"}, rest.WithLogger(zap.NewNop()),
		rest.WithController(func() countAgain { return countAgain{} }))
	if err == nil {
		t.Fatal("NewApplication accepted GET /todos/count twice")
	}
	shortStartError(t, err.Error())
	// The two come in either order: fx hands the controllers over shuffled.
	wantAll(t, err.Error(), "route GET /todos/count (TodoController.", "route GET /todos/count (countAgain.", "match the same requests")
}

func TestTodo_OnADatabaseThatWasNeverMigrated_RefusesToStartSayingToMigrate(t *testing.T) {
	out, failed := runTodo(t, "DATABASE_URL=sqlite:"+filepath.Join(t.TempDir(), "todo.db"))
	if !failed {
		t.Fatalf("the command did not fail:\n%s", out)
	}
	shortStartError(t, out)
	wantAll(t, out, "the database has no todo table", ` migrate" with the same DATABASE_URL first`)
}

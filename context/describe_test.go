package context_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"go.uber.org/fx"

	loomctx "github.com/loomhq/loom/context"
)

// lineOf is "describe_test.go:<line>" of the line starting with decl, read
// from the source rather than from the runtime the code under test uses.
func lineOf(t *testing.T, decl string) string {
	t.Helper()
	src, err := os.ReadFile("describe_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, decl) {
			return fmt.Sprintf("describe_test.go:%d", i+1)
		}
	}
	t.Fatalf("no line starts with %q", decl)
	return ""
}

func newGreeting() string { return "hello" }

var errNoQuota = errors.New("no quota")

func newQuota(prev int) (int, error) { return 0, errNoQuota }

func TestBind_WithAConstructorOfAnotherType_NamesTheFunctionAndItsLine(t *testing.T) {
	app := fx.New(fx.NopLogger, loomctx.Bind(loomctx.KeyOf[int](), newGreeting))
	want := "context_test.newGreeting (" + lineOf(t, "func newGreeting(") + ", func() string) must return int"
	if err := app.Err(); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want one containing %q", err, want)
	}
}

func TestOverride_ReturningAnError_NamesTheFunctionAndKeepsTheError(t *testing.T) {
	key := loomctx.KeyOf[int]()
	app := fx.New(fx.NopLogger,
		loomctx.Bind(key, func() int { return 1 }),
		loomctx.Override(key, newQuota),
		fx.Invoke(func(int) {}))
	err := app.Err()
	want := "context_test.newQuota (" + lineOf(t, "func newQuota(") + ", func(int) (int, error)): no quota"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want one containing %q", err, want)
	}
	if !errors.Is(err, errNoQuota) {
		t.Error("errors.Is does not find the constructor's error")
	}
}

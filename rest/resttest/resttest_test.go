package resttest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

type echoController struct{}

type echoInput struct {
	Word  string `json:"word" validate:"required"`
	Trace string `header:"X-Trace"`
}

type echoOutput struct {
	Word  string `json:"word"`
	Trace string `json:"trace,omitempty"`
}

func (echoController) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/echo", func(ctx context.Context, in echoInput) (echoOutput, error) {
			return echoOutput{Word: in.Word, Trace: in.Trace}, nil
		}, controller.Name("echo")),
	}
}

func TestStart_ServesOnAFreePortAndSpeaksJSON(t *testing.T) {
	app := resttest.Start(t, rest.WithController(func() echoController { return echoController{} }))
	if !strings.HasPrefix(app.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL = %q", app.URL())
	}
	resp := app.Post("/echo", map[string]string{"word": "hi"}, "X-Trace", "t1")
	var out echoOutput
	resp.JSON(t, &out)
	if resp.Status != 200 || out.Word != "hi" || out.Trace != "t1" {
		t.Errorf("got %d %+v", resp.Status, out)
	}
	if resp := app.Post("/echo", `{}`); resp.Status != 422 {
		t.Errorf("an invalid body: %d %s", resp.Status, resp.Body)
	}
}

func TestStart_TwoAppsAtOnceGetTwoPorts(t *testing.T) {
	ctrl := rest.WithController(func() echoController { return echoController{} })
	a, b := resttest.Start(t, ctrl), resttest.Start(t, ctrl)
	if a.URL() == b.URL() {
		t.Errorf("both on %s", a.URL())
	}
}

// fakeTB records a fatal failure instead of stopping the test.
type fakeTB struct {
	testing.TB
	fatal string
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	panic(f)
}

func TestStart_ABadApplicationFailsTheTest(t *testing.T) {
	f := &fakeTB{TB: t}
	func() {
		defer func() { recover() }()
		resttest.Start(f, rest.WithController(func() string { return "not a controller" }))
	}()
	if !strings.Contains(f.fatal, "build the application") {
		t.Errorf("fatal = %q", f.fatal)
	}
}

// exampleTB stands in for a *testing.T in the runnable example.
type exampleTB struct{ cleanups []func() }

func (e *exampleTB) Helper()                           {}
func (e *exampleTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (e *exampleTB) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }
func (e *exampleTB) Logf(format string, args ...any)   {}
func (e *exampleTB) Name() string                      { return "Example" }
func (e *exampleTB) Cleanup(f func())                  { e.cleanups = append(e.cleanups, f) }

func ExampleStart() {
	t := &exampleTB{} // in a test: the *testing.T
	defer func() {
		for _, f := range t.cleanups {
			f()
		}
	}()

	app := resttest.Start(t, rest.WithLogger(zap.NewNop()),
		rest.WithController(func() echoController { return echoController{} }))
	resp := app.Post("/echo", map[string]string{"word": "hello"})
	fmt.Println(resp.Status, resp.Text())
	// Output:
	// 200 {"word":"hello"}
}

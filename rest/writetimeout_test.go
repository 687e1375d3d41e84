package rest_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

// slowController answers once the test releases it.
type slowController struct {
	entered chan struct{}
	release chan struct{}
}

func (c *slowController) Routes() []controller.Route {
	slow := func(ctx context.Context, in struct{}) (string, error) {
		c.entered <- struct{}{}
		<-c.release
		return "done", nil
	}
	return []controller.Route{
		controller.Get("/lifted", slow, controller.WriteTimeout(-1)),
		controller.Get("/bounded", slow),
	}
}

// slowGet sends GET path to a server whose WriteTimeout is short, lets
// the handler answer only once that timeout has long passed, and returns
// the body read or the error.
func slowGet(t *testing.T, path string) (string, error) {
	t.Helper()
	const short = 100 * time.Millisecond
	c := &slowController{entered: make(chan struct{}, 1), release: make(chan struct{})}
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1", WriteTimeout: short}),
		rest.WithController(func() *slowController { return c }))
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Stop(context.Background()) })
	type result struct {
		body string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.Get(app.URL() + path)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		done <- result{string(b), err}
	}()
	within(t, c.entered, "the handler's start")
	for start := time.Now(); time.Since(start) < 5*short; {
		time.Sleep(short / 4)
	}
	close(c.release)
	r := within(t, done, "the answer")
	return r.body, r.err
}

func TestWriteTimeout_ARouteThatLiftsItAnswersPastTheServersTimeout(t *testing.T) {
	if body, err := slowGet(t, "/lifted"); err != nil || body != "done" {
		t.Errorf("got %q, %v; want the answer", body, err)
	}
}

func TestWriteTimeout_ARouteThatKeepsItIsCutByTheServersTimeout(t *testing.T) {
	// The control of the test above: the same wait fails without the option.
	if body, err := slowGet(t, "/bounded"); err == nil {
		t.Errorf("got %q, want the connection cut by the write timeout", body)
	}
}

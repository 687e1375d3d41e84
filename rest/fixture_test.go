package rest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/rest"
)

// todo is the entity of the fixture controller.
type todo struct {
	ID         int    `json:"id"`
	Title      string `json:"title"`
	IsComplete bool   `json:"isComplete"`
}

// todoController answers a LoopBack-like set of routes, with a few extra
// ones that fail in every way the pipeline must handle.
type todoController struct {
	release chan struct{} // closes to let /slow answer
	entered chan struct{} // receives when /slow has started
}

func newTodoController() *todoController {
	return &todoController{release: make(chan struct{}), entered: make(chan struct{}, 1)}
}

type byIDInput struct {
	ID int `path:"id"`
}

type newTodoInput struct {
	Title      string `json:"title" validate:"required,max=20"`
	Desc       string `json:"desc"`
	IsComplete bool   `json:"isComplete"`
}

type countInput struct {
	Where map[string]any `query:"where"`
}

type searchInput struct {
	Q     string `query:"q" validate:"required"`
	Limit int    `query:"limit" validate:"omitempty,min=1,max=100"`
}

type countResult struct {
	Count int `json:"count"`
}

type existsResult struct {
	Exists bool `json:"exists"`
}

func (c *todoController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/todos/count", c.count),
		controller.Get("/todos/{id}", c.findByID),
		controller.Get("/todos/{id}/exists", c.exists),
		controller.Post("/todos", c.create),
		controller.Delete("/todos/{id}", c.deleteByID),
		controller.Get("/search", c.search),
		controller.Get("/boom", c.boom),
		controller.Get("/fail", c.fail),
		controller.Get("/gone", c.gone),
		controller.Get("/slow", c.slow),
		controller.Get("/text", c.text),
		controller.Get("/bytes", c.bytes),
		controller.Get("/stream", c.stream),
		controller.Post("/created", c.created, controller.Status(http.StatusCreated)),
	}
}

func (c *todoController) count(ctx context.Context, in countInput) (countResult, error) {
	return countResult{Count: 3}, nil
}

func (c *todoController) findByID(ctx context.Context, in byIDInput) (*todo, error) {
	if in.ID == 7 {
		return nil, entityNotFound{id: 7}
	}
	return &todo{ID: in.ID, Title: "found"}, nil
}

func (c *todoController) exists(ctx context.Context, in byIDInput) (existsResult, error) {
	return existsResult{Exists: in.ID != 7}, nil
}

func (c *todoController) create(ctx context.Context, in newTodoInput) (todo, error) {
	return todo{ID: 1, Title: in.Title, IsComplete: in.IsComplete}, nil
}

func (c *todoController) deleteByID(ctx context.Context, in byIDInput) (controller.NoContent, error) {
	return controller.NoContent{}, nil
}

func (c *todoController) search(ctx context.Context, in searchInput) ([]todo, error) {
	return []todo{{ID: 1, Title: in.Q}}, nil
}

func (c *todoController) boom(ctx context.Context, in struct{}) (todo, error) {
	panic("the handler blew up")
}

func (c *todoController) fail(ctx context.Context, in struct{}) (todo, error) {
	return todo{}, errors.New("database password is hunter2")
}

func (c *todoController) gone(ctx context.Context, in struct{}) (todo, error) {
	return todo{}, httperr.New(http.StatusGone, "it left").WithCode("GONE")
}

func (c *todoController) slow(ctx context.Context, in struct{}) (string, error) {
	c.entered <- struct{}{}
	<-c.release
	return "done", nil
}

func (c *todoController) text(ctx context.Context, in struct{}) (string, error) {
	return "plain words", nil
}

func (c *todoController) bytes(ctx context.Context, in struct{}) ([]byte, error) {
	return []byte{0, 1, 2}, nil
}

func (c *todoController) stream(ctx context.Context, in struct{}) (io.Reader, error) {
	return strings.NewReader("streamed"), nil
}

func (c *todoController) created(ctx context.Context, in newTodoInput) (todo, error) {
	return todo{ID: 2, Title: in.Title}, nil
}

// entityNotFound is an error from a layer that knows nothing of HTTP: it
// has only a code, as a repository's would.
type entityNotFound struct{ id int }

func (e entityNotFound) Error() string     { return "Entity not found: Todo with id 7" }
func (e entityNotFound) ErrorCode() string { return "ENTITY_NOT_FOUND" }

// startApp builds the application with opts and the fixture controller,
// starts it on a free port and stops it when the test ends.
func startApp(t *testing.T, ctrl *todoController, opts ...rest.Option) *rest.Application {
	t.Helper()
	base := []rest.Option{
		rest.WithLogger(zap.NewNop()),
		rest.WithController(func() *todoController { return ctrl }),
	}
	app, err := rest.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("build app: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		t.Fatalf("start app: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := app.Stop(ctx); err != nil {
			t.Errorf("stop app: %v", err)
		}
	})
	return app
}

// call sends one request and returns the status, headers and body.
func call(t *testing.T, method, url string, body string, header ...string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

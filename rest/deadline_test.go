package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/zap"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/sequence"
)

// deadlineController's routes wait for their context to end, or report
// the deadline they were given.
type deadlineController struct{}

func (deadlineController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/wait", waitForDone),
		controller.Get("/wait/own", waitForDone, controller.Timeout(5*time.Millisecond)),
		controller.Get("/wait/none", reportDeadline, controller.Timeout(-1)),
		controller.Get("/deadline", reportDeadline),
		controller.Get("/upstream", func(ctx context.Context, in struct{}) (string, error) {
			return "", fmt.Errorf("the geocoder did not answer: %w", context.DeadlineExceeded)
		}),
		controller.Get("/late", func(ctx context.Context, in struct{}) (string, error) {
			<-ctx.Done()
			return "", fmt.Errorf("a 404 that came too late")
		}, controller.Timeout(time.Millisecond)),
	}
}

// waitForDone returns what a repository returns when its context ends.
func waitForDone(ctx context.Context, in struct{}) (string, error) {
	<-ctx.Done()
	return "", ctx.Err()
}

func reportDeadline(ctx context.Context, in struct{}) (string, error) {
	if _, ok := ctx.Deadline(); ok {
		return "deadline", nil
	}
	return "none", nil
}

// serve runs one request through app without a listener.
func serve(app *rest.Application, path string) (int, string) {
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code, rec.Body.String()
}

func newDeadlineApp(t *testing.T, opts ...rest.Option) *rest.Application {
	t.Helper()
	app, err := rest.New(append([]rest.Option{rest.WithLogger(zap.NewNop()),
		rest.WithController(func() deadlineController { return deadlineController{} })}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return app
}

func TestRequestTimeout_OfTheRoute_Answers503WhenItPasses(t *testing.T) {
	app := newDeadlineApp(t)
	status, body := serve(app, "/wait/own")
	want := `{"error":{"statusCode":503,"name":"ServiceUnavailableError",` +
		`"message":"The request did not finish within its 5ms deadline.","code":"REQUEST_TIMEOUT"}}`
	if status != 503 || body != want {
		t.Errorf("GET /wait/own = %d %s, want 503 %s", status, body, want)
	}
}

func TestRequestTimeout_OfTheServer_AppliesToRoutesWithoutTheirOwn(t *testing.T) {
	app := newDeadlineApp(t, rest.WithConfig(rest.Config{RequestTimeout: 2 * time.Millisecond}))
	status, body := serve(app, "/wait")
	if status != 503 || body != `{"error":{"statusCode":503,"name":"ServiceUnavailableError",`+
		`"message":"The request did not finish within its 2ms deadline.","code":"REQUEST_TIMEOUT"}}` {
		t.Errorf("GET /wait = %d %s", status, body)
	}
}

func TestRequestTimeout_ByDefault_GivesEveryRequestADeadline(t *testing.T) {
	app := newDeadlineApp(t)
	if _, body := serve(app, "/deadline"); body != "deadline" {
		t.Errorf("a request has %s, want the default deadline", body)
	}
}

func TestRequestTimeout_Negative_SetsNone(t *testing.T) {
	app := newDeadlineApp(t, rest.WithConfig(rest.Config{RequestTimeout: -1}))
	if _, body := serve(app, "/deadline"); body != "none" {
		t.Errorf("with RequestTimeout -1 a request has a %s", body)
	}
}

func TestRequestTimeout_OfARouteNegative_RemovesTheServers(t *testing.T) {
	app := newDeadlineApp(t)
	if _, body := serve(app, "/wait/none"); body != "none" {
		t.Errorf("a route with Timeout(-1) has a %s", body)
	}
}

func TestRequestTimeout_AnyErrorPastTheDeadline_Is503(t *testing.T) {
	app := newDeadlineApp(t)
	status, body := serve(app, "/late")
	if status != 503 || body != `{"error":{"statusCode":503,"name":"ServiceUnavailableError",`+
		`"message":"The request did not finish within its 1ms deadline.","code":"REQUEST_TIMEOUT"}}` {
		t.Errorf("GET /late = %d %s", status, body)
	}
}

func TestRequestTimeout_AnErrorOfADeadlineElsewhere_Is503(t *testing.T) {
	app := newDeadlineApp(t)
	status, body := serve(app, "/upstream")
	if status != 503 || body != `{"error":{"statusCode":503,"name":"ServiceUnavailableError",`+
		`"message":"The request did not finish before its deadline.","code":"REQUEST_TIMEOUT"}}` {
		t.Errorf("GET /upstream = %d %s", status, body)
	}
}

// timingSequence extends DefaultSequence, as an application's would.
type timingSequence struct{ *sequence.DefaultSequence }

func (s timingSequence) Handle(rc *loomctx.RequestContext) {
	s.DefaultSequence.Handle(rc)
	rc.Response.Header().Set("X-Sequence", "timing")
}

func TestRequestTimeout_ASequenceEmbeddingDefaultSequence_GetsTheRoutesDeadline(t *testing.T) {
	app := newDeadlineApp(t, rest.WithSequence(func(d *sequence.DefaultSequence) sequence.Sequence {
		return timingSequence{d}
	}))
	status, body := serve(app, "/wait/own")
	if status != 503 || body == "" {
		t.Errorf("GET /wait/own through a custom sequence = %d %s, want 503", status, body)
	}
}

func TestRequestTimeout_ASequenceOfItsOwn_GetsTheServersDeadline(t *testing.T) {
	app := newDeadlineApp(t,
		rest.WithConfig(rest.Config{RequestTimeout: time.Millisecond}),
		rest.WithSequence(func() sequence.Sequence {
			return sequence.Func(func(rc *loomctx.RequestContext) {
				<-rc.Done()
				rc.Response.WriteHeader(http.StatusGatewayTimeout)
			})
		}))
	if status, _ := serve(app, "/anything"); status != http.StatusGatewayTimeout {
		t.Errorf("a sequence of its own answered %d: its context never ended", status)
	}
}

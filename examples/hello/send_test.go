package main

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// startWithCreate serves a route that declares 201 through the example's
// negotiating send.
func startWithCreate(t *testing.T) *resttest.App {
	t.Helper()
	create := controller.Func{Label: "CreateController", List: []controller.Route{
		controller.Post("/greetings/{name}", func(ctx context.Context, in HelloInput) (Greeting, error) {
			return Greeting{Name: in.Name, Message: "Hello, " + in.Name + "!"}, nil
		}, controller.Status(201)),
		controller.Delete("/greetings/{name}", func(ctx context.Context, in HelloInput) (controller.NoContent, error) {
			return controller.NoContent{}, nil
		}),
	}}
	return resttest.Start(t,
		rest.WithLogger(zap.NewNop()),
		rest.WithProviders(NewCSVFormatter),
		rest.WithController(func() controller.Func { return create }),
		rest.WithAction[actions.Send](NewNegotiatingSend),
	)
}

func TestNegotiatingSend_KeepsTheRoutesDeclaredStatusForCSV(t *testing.T) {
	app := startWithCreate(t)
	resp := app.Post("/greetings/ada", nil, "Accept", "text/csv")
	want := "name,message\nada,\"Hello, ada!\"\n"
	if resp.Status != 201 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" || resp.Text() != want {
		t.Errorf("got %d %q %q, want 201 text/csv %q", resp.Status, resp.Header.Get("Content-Type"), resp.Text(), want)
	}
}

func TestNegotiatingSend_KeepsTheRoutesDeclaredStatusForJSON(t *testing.T) {
	app := startWithCreate(t)
	resp := app.Post("/greetings/ada", nil)
	if resp.Status != 201 || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("got %d %q %s, want 201 application/json", resp.Status, resp.Header.Get("Content-Type"), resp.Body)
	}
}

func TestNegotiatingSend_AnswersNoContentWith204(t *testing.T) {
	app := startWithCreate(t)
	resp := app.Delete("/greetings/ada", "Accept", "text/csv")
	if resp.Status != 204 || len(resp.Body) != 0 {
		t.Errorf("got %d %q, want 204 and no body", resp.Status, resp.Body)
	}
}

func TestNegotiatingSend_WeighsTheQValuesOfAccept(t *testing.T) {
	app := startWithCreate(t)
	if resp := app.Post("/greetings/ada", nil, "Accept", "application/json;q=0.5, text/csv"); resp.Status != 201 ||
		resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Errorf("CSV preferred: got %d %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	if resp := app.Post("/greetings/ada", nil, "Accept", "text/csv;q=0.5, application/json"); resp.Status != 201 ||
		resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("JSON preferred: got %d %q", resp.Status, resp.Header.Get("Content-Type"))
	}
}

func TestNegotiatingSend_AcceptingNeitherIs406(t *testing.T) {
	app := startWithCreate(t)
	resp := app.Post("/greetings/ada", nil, "Accept", "text/html")
	if resp.Status != 406 || !strings.Contains(resp.Text(), "NOT_ACCEPTABLE") {
		t.Errorf("got %d %s, want 406 NOT_ACCEPTABLE", resp.Status, resp.Body)
	}
}

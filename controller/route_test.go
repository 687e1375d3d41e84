package controller

import (
	"context"
	"errors"
	"strings"
	"testing"
)

type sample struct{}

func (sample) FindByID(ctx context.Context, in struct{}) (*int, error) { return nil, nil }

func TestHandlerName_IsTheMethodNameLowerCased(t *testing.T) {
	if got := handlerName(sample{}.FindByID); got != "findByID" {
		t.Errorf("got %q", got)
	}
}

func TestCall_NilResultsComeBackAsNil(t *testing.T) {
	r := Get("/x", func(ctx context.Context, in struct{}) ([]int, error) { return nil, nil })
	out, err := r.Call(context.Background(), r.NewInput())
	if out != nil || err != nil {
		t.Errorf("got %v %v", out, err)
	}
	r = Get("/x", func(ctx context.Context, in struct{}) ([]int, error) { return []int{}, nil })
	if out, _ := r.Call(context.Background(), r.NewInput()); out == nil {
		t.Error("an empty, non-nil slice must be sent as []")
	}
}

func TestCall_ErrorsPassThrough(t *testing.T) {
	boom := errors.New("boom")
	r := Post("/x", func(ctx context.Context, in struct{ A int }) (int, error) { return 1, boom })
	if _, err := r.Call(context.Background(), r.NewInput()); !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
}

func TestCall_WithTheWrongInput_IsAnError(t *testing.T) {
	r := Post("/x", func(ctx context.Context, in struct{ A int }) (int, error) { return 1, nil })
	if _, err := r.Call(context.Background(), new(string)); err == nil {
		t.Error("no error")
	}
}

func TestOptions_SetMetadata(t *testing.T) {
	r := Patch("/todos/{id}", func(ctx context.Context, in struct{}) (NoContent, error) { return NoContent{}, nil },
		Name("updateById"), Summary("s"), Description("d"), Tags("a", "b"), Status(202), BodyLimit(10), Hidden())
	if r.Verb != "PATCH" || r.Name != "updateById" || r.Summary != "s" || r.Description != "d" ||
		len(r.Tags) != 2 || r.Status != 202 || r.BodyLimit != 10 || !r.Hidden {
		t.Errorf("route = %+v", r)
	}
}

func TestRoutesOf_FillsControllerAndTags(t *testing.T) {
	f := Func{Label: "PingController", List: []Route{Get("/ping", func(ctx context.Context, in struct{}) (string, error) { return "pong", nil })}}
	rs := RoutesOf(f)
	if rs[0].OperationID() != "PingController.func1" && rs[0].Controller != "PingController" {
		t.Errorf("route = %+v", rs[0])
	}
	if len(rs[0].Tags) != 1 || rs[0].Tags[0] != "PingController" {
		t.Errorf("tags = %v", rs[0].Tags)
	}
}

func TestTranslateErrorsAndOperationID(t *testing.T) {
	shout := func(err error) error { return errors.New(strings.ToUpper(err.Error())) }
	r := Put("/things", func(context.Context, struct{}) (NoContent, error) {
		return NoContent{}, nil
	}, Name("replaceOrCreate"), TranslateErrors(shout), OperationID("Thing.replaceOrCreate__put_things"))
	if got := r.TranslateError(errors.New("bad")); got.Error() != "BAD" {
		t.Errorf("translator gave %v", got)
	}
	r.Controller = "Thing"
	if r.OperationID() != "Thing.replaceOrCreate" || r.API.OperationID != "Thing.replaceOrCreate__put_things" {
		t.Errorf("hook name %q, document id %q", r.OperationID(), r.API.OperationID)
	}
}

func TestCall_AnInterfaceResultMayHoldAStruct(t *testing.T) {
	type point struct{ X int }
	r := Get("/x", func(ctx context.Context, in struct{}) (any, error) { return point{X: 1}, nil })
	got, err := r.Call(context.Background(), r.NewInput())
	if err != nil || got != (point{X: 1}) {
		t.Errorf("got %v, %v", got, err)
	}
	var nilMap map[string]int
	r = Get("/y", func(ctx context.Context, in struct{}) (any, error) { return nilMap, nil })
	if got, err := r.Call(context.Background(), r.NewInput()); got != nil || err != nil {
		t.Errorf("a nil map in an interface: got %v, %v", got, err)
	}
}

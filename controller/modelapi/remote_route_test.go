package modelapi_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/modelapi"
)

type idArgs struct {
	ID int `path:"id"`
}

func touch(ctx context.Context, in idArgs) (controller.NoContent, error) {
	return controller.NoContent{}, nil
}

func count(ctx context.Context, in struct{}) (int, error) { return 3, nil }

func TestRemote_DeclaresTheRouteLoopBack3Would(t *testing.T) {
	for _, tc := range []struct {
		route            controller.Route
		verb, path, name string
	}{
		{modelapi.Remote("count", count), "POST", "/count", "count"},
		{modelapi.Remote("prototype.touch", touch), "POST", "/{id}/touch", "prototype.touch"},
		{modelapi.Remote("prototype.touch", touch, modelapi.HTTP("del", "/{id}/touch")), "DELETE", "/{id}/touch", "prototype.touch"},
		{modelapi.Remote("prototype.touch", touch, modelapi.HTTP("put", "/")), "PUT", "/{id}", "prototype.touch"},
		{modelapi.Remote("prototype.touch", touch, modelapi.HTTP("patch", "mark")), "PATCH", "/{id}/mark", "prototype.touch"},
		{modelapi.Remote("count", count, modelapi.HTTP("head", "/n")), "HEAD", "/n", "count"},
		{modelapi.Remote("prototype.touch", touch, modelapi.HTTP("post", "/:id/touch/:fk")), "POST", "/{id}/touch/{fk}", "prototype.touch"},
		{modelapi.Remote("count", count, modelapi.HTTP("get", "/at/:when")), "GET", "/at/{when}", "count"},
	} {
		r := tc.route
		if r.Verb != tc.verb || r.Path != tc.path || r.Name != tc.name || !r.RemoteArgs {
			t.Errorf("%s %s %s (remote args %v), want %s %s %s", r.Verb, r.Path, r.Name, r.RemoteArgs, tc.verb, tc.path, tc.name)
		}
	}
}

func TestRemote_ReturnsWrapsAndDocumentsOnlyValues(t *testing.T) {
	named := modelapi.Remote("count", count, modelapi.Returns("count"))
	res, err := named.Call(context.Background(), named.NewInput())
	if err != nil || !reflect.DeepEqual(res, map[string]any{"count": 3}) {
		t.Errorf("named: %#v %v", res, err)
	}
	rt := named.API.ResponseType
	if rt == nil || rt.NumField() != 1 || rt.Field(0).Type != reflect.TypeFor[int]() || rt.Field(0).Tag.Get("json") != "count" {
		t.Errorf("named response type %v", rt)
	}
	root := modelapi.Remote("count", count, modelapi.Returns("count"), modelapi.ReturnsRoot())
	if res, err := root.Call(context.Background(), root.NewInput()); err != nil || res != 3 || root.API.ResponseType != nil {
		t.Errorf("root: %#v %v %v", res, err, root.API.ResponseType)
	}
	// A method that answers no content is not wrapped: 204, as LoopBack 3.
	empty := modelapi.Remote("prototype.touch", touch, modelapi.Returns("done"))
	if res, err := empty.Call(context.Background(), empty.NewInput()); err != nil || res != nil || empty.OutputType() != reflect.TypeFor[controller.NoContent]() {
		t.Errorf("no content: %#v %v %v", res, err, empty.OutputType())
	}
	odd := modelapi.Remote("count", count, modelapi.Returns(`a"b`))
	if tag := odd.API.ResponseType.Field(0).Tag.Get("json"); tag != `a"b` {
		t.Errorf("a name with a quote: json tag %q", tag)
	}
}

func TestRemote_PassesControllerOptionsThrough(t *testing.T) {
	r := modelapi.Remote("count", count, modelapi.RouteOptions(controller.Status(201), controller.BodyLimit(10)),
		modelapi.Description("Counts."), modelapi.Notes("All of them."))
	if r.Status != 201 || r.BodyLimit != 10 || r.Summary != "Counts." || r.Description != "All of them." {
		t.Errorf("%+v", r)
	}
}

package controller_test

import (
	"context"
	"fmt"

	"github.com/loomhq/loom/controller"
)

type Todo struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
}

type TodoController struct{}

type FindByIDInput struct {
	ID int `path:"id"`
}

func (c *TodoController) FindByID(ctx context.Context, in FindByIDInput) (*Todo, error) {
	return &Todo{ID: in.ID, Title: "walk the dog"}, nil
}

func (c *TodoController) DeleteByID(ctx context.Context, in FindByIDInput) (controller.NoContent, error) {
	return controller.NoContent{}, nil
}

func (c *TodoController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/todos/{id}", c.FindByID, controller.Name("findById"), controller.Summary("Find a todo")),
		controller.Delete("/todos/{id}", c.DeleteByID),
	}
}

func ExampleRoutesOf() {
	for _, r := range controller.RoutesOf(&TodoController{}) {
		fmt.Println(r.Verb, r.Path, r.OperationID(), r.InputType().Name())
	}
	// Output:
	// GET /todos/{id} TodoController.findById FindByIDInput
	// DELETE /todos/{id} TodoController.deleteByID FindByIDInput
}

func ExampleRoute_Call() {
	routes := controller.RoutesOf(&TodoController{})
	in := routes[0].NewInput().(*FindByIDInput)
	in.ID = 3
	out, err := routes[0].Call(context.Background(), in)
	fmt.Println(out.(*Todo).Title, err)

	// NoContent comes back as nil, which send answers with 204.
	out, err = routes[1].Call(context.Background(), in)
	fmt.Println(out, err)
	// Output:
	// walk the dog <nil>
	// <nil> <nil>
}

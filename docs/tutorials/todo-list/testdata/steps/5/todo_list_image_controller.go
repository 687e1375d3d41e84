package main

import (
	"context"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
)

// TodoListImageController is LoopBack's TodoListImageController: a list's
// image, through the hasOne relation image.
type TodoListImageController struct {
	lists *TodoListRepository
}

// NewTodoListImageController receives the lists' repository by injection.
func NewTodoListImageController(lists *TodoListRepository) *TodoListImageController {
	return &TodoListImageController{lists: lists}
}

// Routes declares the operations, with LoopBack's names and statuses.
func (c *TodoListImageController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/todo-lists/{id}/image", c.Get, controller.Name("get"),
			controller.ResponseModel(controller.ModelWithRelations),
			controller.ResponseDescription("TodoList has one TodoListImage")),
		controller.Post("/todo-lists/{id}/image", c.Create, controller.Name("create"),
			controller.ResponseDescription("TodoList model instance")),
		controller.Patch("/todo-lists/{id}/image", c.Patch, controller.Name("patch"),
			controller.RequestModelOf[TodoListImage](controller.ModelPartial),
			controller.ResponseDescription("TodoList.TodoListImage PATCH success count")),
		controller.Delete("/todo-lists/{id}/image", c.Delete, controller.Name("delete"),
			controller.ResponseDescription("TodoList.TodoListImage DELETE success count")),
	}
}

// GetListImageInput is GET /todo-lists/{id}/image.
type GetListImageInput struct {
	ID     int                                             `path:"id"`
	Filter *controller.FilterExcludingWhere[TodoListImage] `query:"filter"`
}

// Get returns the list's image: a 404 when it has none.
func (c *TodoListImageController) Get(ctx context.Context, in GetListImageInput) (*TodoListImage, error) {
	return c.lists.Image(in.ID).Get(ctx, in.Filter)
}

// CreateListImageInput is POST /todo-lists/{id}/image: the list, and its
// image.
type CreateListImageInput struct {
	ID    int                        `path:"id"`
	Image NewTodoListImageInTodoList `body:"json"`
}

// Create stores the list's image: its todoListId is the list's id. A body
// naming another list is refused.
func (c *TodoListImageController) Create(ctx context.Context, in CreateListImageInput) (*TodoListImage, error) {
	return c.lists.Image(in.ID).Create(ctx, TodoListImage{NewTodoListImage: NewTodoListImage(in.Image)})
}

// PatchListImageInput is PATCH /todo-lists/{id}/image: the properties to
// change.
type PatchListImageInput struct {
	ID   int                             `path:"id"`
	Data repository.Patch[TodoListImage] `body:"json"`
}

// Patch changes the list's image.
func (c *TodoListImageController) Patch(ctx context.Context, in PatchListImageInput) (repository.Count, error) {
	return c.lists.Image(in.ID).Patch(ctx, in.Data)
}

// DeleteListImageInput is DELETE /todo-lists/{id}/image.
type DeleteListImageInput struct {
	ID int `path:"id"`
}

// Delete removes the list's image.
func (c *TodoListImageController) Delete(ctx context.Context, in DeleteListImageInput) (repository.Count, error) {
	return c.lists.Image(in.ID).Delete(ctx)
}

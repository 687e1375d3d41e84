package main

import (
	"context"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
)

// TodoListTodoController is LoopBack's TodoListTodoController: a list's
// todos, through the hasMany relation todos.
type TodoListTodoController struct {
	lists *TodoListRepository
}

// NewTodoListTodoController receives the lists' repository by injection.
func NewTodoListTodoController(lists *TodoListRepository) *TodoListTodoController {
	return &TodoListTodoController{lists: lists}
}

// Routes declares the operations, with LoopBack's names and statuses.
func (c *TodoListTodoController) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/todo-lists/{id}/todos", c.Create, controller.Name("create"),
			controller.ResponseDescription("TodoList model instance")),
		controller.Get("/todo-lists/{id}/todos", c.Find, controller.Name("find"),
			controller.ResponseDescription("Array of TodoList has many Todo")),
		controller.Patch("/todo-lists/{id}/todos", c.Patch, controller.Name("patch"),
			controller.RequestModelOf[Todo](controller.ModelPartial),
			controller.ResponseDescription("TodoList.Todo PATCH success count")),
		controller.Delete("/todo-lists/{id}/todos", c.Delete, controller.Name("delete"),
			controller.ResponseDescription("TodoList.Todo DELETE success count")),
	}
}

// CreateListTodoInput is POST /todo-lists/{id}/todos: the list, and the
// todo to create in it.
type CreateListTodoInput struct {
	ID   int               `path:"id"`
	Todo NewTodoInTodoList `body:"json"`
}

// Create stores a new todo in the list: its todoListId is the list's id.
// A body naming another list is refused.
func (c *TodoListTodoController) Create(ctx context.Context, in CreateListTodoInput) (*Todo, error) {
	return c.lists.Todos(in.ID).Create(ctx, Todo{NewTodo: NewTodo(in.Todo)})
}

// FindListTodosInput is GET /todo-lists/{id}/todos.
type FindListTodosInput struct {
	ID     int                      `path:"id"`
	Filter *controller.Filter[Todo] `query:"filter"`
}

// Find lists the list's todos the filter selects.
func (c *TodoListTodoController) Find(ctx context.Context, in FindListTodosInput) ([]Todo, error) {
	return c.lists.Todos(in.ID).Find(ctx, in.Filter)
}

// PatchListTodosInput is PATCH /todo-lists/{id}/todos: the changes, and
// which of the list's todos get them.
type PatchListTodosInput struct {
	ID    int                    `path:"id"`
	Where controller.Where[Todo] `query:"where"`
	Data  repository.Patch[Todo] `body:"json"`
}

// Patch changes the list's todos the where clause selects.
func (c *TodoListTodoController) Patch(ctx context.Context, in PatchListTodosInput) (repository.Count, error) {
	return c.lists.Todos(in.ID).Patch(ctx, in.Data, in.Where)
}

// DeleteListTodosInput is DELETE /todo-lists/{id}/todos.
type DeleteListTodosInput struct {
	ID    int                    `path:"id"`
	Where controller.Where[Todo] `query:"where"`
}

// Delete removes the list's todos the where clause selects.
func (c *TodoListTodoController) Delete(ctx context.Context, in DeleteListTodosInput) (repository.Count, error) {
	return c.lists.Todos(in.ID).Delete(ctx, in.Where)
}

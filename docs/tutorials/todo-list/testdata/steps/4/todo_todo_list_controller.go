package main

import (
	"context"

	"github.com/loomhq/loom/controller"
)

// TodoTodoListController is the list a todo belongs to, through the
// belongsTo relation todoList: LoopBack's GET /todos/{id}/todo-list.
type TodoTodoListController struct {
	todos *TodoRepository
}

// NewTodoTodoListController receives the todos' repository by injection.
func NewTodoTodoListController(todos *TodoRepository) *TodoTodoListController {
	return &TodoTodoListController{todos: todos}
}

// Routes declares the operation, with LoopBack's name and status.
func (c *TodoTodoListController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/todos/{id}/todo-list", c.GetTodoList, controller.Name("getTodoList"),
			controller.ResponseDescription("TodoList belonging to Todo")),
	}
}

// GetTodoListInput is GET /todos/{id}/todo-list.
type GetTodoListInput struct {
	ID int `path:"id"`
}

// GetTodoList returns the todo's list: a 404 when the todo is missing or
// its list is, and no content (204) when the todo belongs to no list, as
// in LoopBack.
func (c *TodoTodoListController) GetTodoList(ctx context.Context, in GetTodoListInput) (*TodoList, error) {
	return c.todos.TodoList(in.ID).Get(ctx)
}

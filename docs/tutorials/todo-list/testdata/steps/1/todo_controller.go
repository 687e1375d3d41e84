package main

import (
	"context"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
)

// TodoController is LoopBack's TodoController of the TodoList example:
// the todos' CRUD operations, their finds with include.
type TodoController struct {
	todos *TodoRepository
}

// NewTodoController receives the repository by injection.
func NewTodoController(todos *TodoRepository) *TodoController {
	return &TodoController{todos: todos}
}

// Routes declares the operations, with LoopBack's names and statuses.
func (c *TodoController) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/todos", c.Create, controller.Name("create"),
			controller.ResponseDescription("Todo model instance")),
		controller.Get("/todos/{id}", c.FindByID, controller.Name("findById"),
			controller.ResponseModel(controller.ModelWithRelations),
			controller.ResponseDescription("Todo model instance")),
		controller.Get("/todos", c.Find, controller.Name("find"),
			controller.ResponseModel(controller.ModelWithRelations),
			controller.ResponseDescription("Array of Todo model instances")),
		controller.Put("/todos/{id}", c.ReplaceByID, controller.Name("replaceById"),
			controller.ResponseDescription("Todo PUT success")),
		controller.Patch("/todos/{id}", c.UpdateByID, controller.Name("updateById"),
			controller.RequestModelOf[Todo](controller.ModelPartial),
			controller.ResponseDescription("Todo PATCH success")),
		controller.Delete("/todos/{id}", c.DeleteByID, controller.Name("deleteById"),
			controller.ResponseDescription("Todo DELETE success")),
		controller.Get("/todos/count", c.Count, controller.Name("count"),
			controller.ResponseDescription("Todo model count")),
		controller.Patch("/todos", c.UpdateAll, controller.Name("updateAll"),
			controller.RequestModelOf[Todo](controller.ModelPartial),
			controller.ResponseDescription("Todo PATCH success count")),
	}
}

// CreateTodoInput is the body of POST /todos.
type CreateTodoInput struct {
	Todo NewTodo `body:"json"`
}

// Create stores a new todo, in the list its todoListId names, if any.
func (c *TodoController) Create(ctx context.Context, in CreateTodoInput) (*Todo, error) {
	return c.todos.Create(ctx, Todo{NewTodo: in.Todo})
}

// FindTodoInput is GET /todos/{id}.
type FindTodoInput struct {
	ID     int                                    `path:"id"`
	Filter *controller.FilterExcludingWhere[Todo] `query:"filter"`
}

// FindByID returns one todo, with the relations the filter includes.
func (c *TodoController) FindByID(ctx context.Context, in FindTodoInput) (*Todo, error) {
	return c.todos.FindByID(ctx, in.ID, in.Filter)
}

// FindTodosInput is the query of GET /todos.
type FindTodosInput struct {
	Filter *controller.Filter[Todo] `query:"filter"`
}

// Find lists the todos the filter selects, with the relations it
// includes.
func (c *TodoController) Find(ctx context.Context, in FindTodosInput) ([]Todo, error) {
	return c.todos.Find(ctx, in.Filter)
}

// ReplaceTodoInput is PUT /todos/{id}: the whole new todo.
type ReplaceTodoInput struct {
	ID   int  `path:"id"`
	Todo Todo `body:"json"`
}

// ReplaceByID replaces a todo; properties the body leaves out are gone.
func (c *TodoController) ReplaceByID(ctx context.Context, in ReplaceTodoInput) (controller.NoContent, error) {
	return controller.NoContent{}, c.todos.ReplaceByID(ctx, in.ID, in.Todo)
}

// UpdateTodoInput is PATCH /todos/{id}: the properties to change.
type UpdateTodoInput struct {
	ID   int                    `path:"id"`
	Data repository.Patch[Todo] `body:"json"`
}

// UpdateByID changes the properties the body sends, and no other.
func (c *TodoController) UpdateByID(ctx context.Context, in UpdateTodoInput) (controller.NoContent, error) {
	return controller.NoContent{}, c.todos.UpdateByID(ctx, in.ID, in.Data)
}

// DeleteTodoInput is DELETE /todos/{id}.
type DeleteTodoInput struct {
	ID int `path:"id"`
}

// DeleteByID removes a todo.
func (c *TodoController) DeleteByID(ctx context.Context, in DeleteTodoInput) (controller.NoContent, error) {
	return controller.NoContent{}, c.todos.DeleteByID(ctx, in.ID)
}

// CountTodosInput is the query of GET /todos/count.
type CountTodosInput struct {
	Where controller.Where[Todo] `query:"where"`
}

// Count counts the todos the where clause selects.
func (c *TodoController) Count(ctx context.Context, in CountTodosInput) (repository.Count, error) {
	return c.todos.Count(ctx, in.Where)
}

// UpdateTodosInput is PATCH /todos: the changes, and which todos get them.
type UpdateTodosInput struct {
	Where controller.Where[Todo] `query:"where"`
	Data  repository.Patch[Todo] `body:"json"`
}

// UpdateAll changes every todo the where clause selects.
func (c *TodoController) UpdateAll(ctx context.Context, in UpdateTodosInput) (repository.Count, error) {
	return c.todos.UpdateAll(ctx, in.Data, in.Where)
}

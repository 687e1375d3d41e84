package main

import (
	"context"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
)

// TodoController is the example's TodoController: eight operations over
// the repository, for logged-in users only (LoopBack's
// @authenticate('jwt') on the class).
type TodoController struct {
	todos *TodoRepository
}

// NewTodoController receives the repository by injection.
func NewTodoController(todos *TodoRepository) *TodoController {
	return &TodoController{todos: todos}
}

// Authentication makes every route of the controller require a token.
func (c *TodoController) Authentication() []string { return []string{"jwt"} }

// Routes declares the operations, with LoopBack's names and statuses.
func (c *TodoController) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/todos", c.Create, controller.Name("create"),
			controller.ResponseDescription("Todo model instance")),
		controller.Get("/todos", c.Find, controller.Name("find"),
			controller.ResponseModel(controller.ModelWithRelations),
			controller.ResponseDescription("Array of Todo model instances")),
		controller.Patch("/todos", c.UpdateAll, controller.Name("updateAll"),
			controller.RequestModelOf[Todo](controller.ModelPartial),
			controller.ResponseDescription("Todo PATCH success count")),
		controller.Get("/todos/count", c.Count, controller.Name("count"),
			controller.ResponseDescription("Todo model count")),
		controller.Get("/todos/{id}", c.FindByID, controller.Name("findById"),
			controller.ResponseModel(controller.ModelWithRelations),
			controller.ResponseDescription("Todo model instance")),
		controller.Put("/todos/{id}", c.ReplaceByID, controller.Name("replaceById"),
			controller.ResponseDescription("Todo PUT success")),
		controller.Patch("/todos/{id}", c.UpdateByID, controller.Name("updateById"),
			controller.RequestModelOf[Todo](controller.ModelPartial),
			controller.ResponseDescription("Todo PATCH success")),
		controller.Delete("/todos/{id}", c.DeleteByID, controller.Name("deleteById"),
			controller.ResponseDescription("Todo DELETE success")),
	}
}

// CreateInput is the body of POST /todos.
type CreateInput struct {
	Todo NewTodo `body:"json"`
}

// Create stores a new todo.
func (c *TodoController) Create(ctx context.Context, in CreateInput) (*Todo, error) {
	return c.todos.Create(ctx, Todo{NewTodo: in.Todo})
}

// FindInput is the query of GET /todos.
type FindInput struct {
	Filter *controller.Filter[Todo] `query:"filter"`
}

// Find lists the todos the filter selects.
func (c *TodoController) Find(ctx context.Context, in FindInput) ([]Todo, error) {
	return c.todos.Find(ctx, in.Filter)
}

// UpdateAllInput is PATCH /todos: the changes, and which todos get them.
type UpdateAllInput struct {
	Where controller.Where[Todo] `query:"where"`
	Data  repository.Patch[Todo] `body:"json"`
}

// UpdateAll changes every todo the where clause selects.
func (c *TodoController) UpdateAll(ctx context.Context, in UpdateAllInput) (repository.Count, error) {
	return c.todos.UpdateAll(ctx, in.Data, in.Where)
}

// CountInput is the query of GET /todos/count.
type CountInput struct {
	Where controller.Where[Todo] `query:"where"`
}

// Count counts the todos the where clause selects.
func (c *TodoController) Count(ctx context.Context, in CountInput) (repository.Count, error) {
	return c.todos.Count(ctx, in.Where)
}

// FindByIDInput is GET /todos/{id}.
type FindByIDInput struct {
	ID     int                                    `path:"id"`
	Filter *controller.FilterExcludingWhere[Todo] `query:"filter"`
}

// FindByID returns one todo.
func (c *TodoController) FindByID(ctx context.Context, in FindByIDInput) (*Todo, error) {
	return c.todos.FindByID(ctx, in.ID, in.Filter)
}

// ReplaceInput is PUT /todos/{id}: the whole new todo.
type ReplaceInput struct {
	ID   int  `path:"id"`
	Todo Todo `body:"json"`
}

// ReplaceByID replaces a todo; properties the body leaves out are gone.
func (c *TodoController) ReplaceByID(ctx context.Context, in ReplaceInput) (controller.NoContent, error) {
	return controller.NoContent{}, c.todos.ReplaceByID(ctx, in.ID, in.Todo)
}

// UpdateInput is PATCH /todos/{id}: the properties to change.
type UpdateInput struct {
	ID   int                    `path:"id"`
	Data repository.Patch[Todo] `body:"json"`
}

// UpdateByID changes the properties the body sends, and no other.
func (c *TodoController) UpdateByID(ctx context.Context, in UpdateInput) (controller.NoContent, error) {
	return controller.NoContent{}, c.todos.UpdateByID(ctx, in.ID, in.Data)
}

// DeleteInput is DELETE /todos/{id}.
type DeleteInput struct {
	ID int `path:"id"`
}

// DeleteByID removes a todo.
func (c *TodoController) DeleteByID(ctx context.Context, in DeleteInput) (controller.NoContent, error) {
	return controller.NoContent{}, c.todos.DeleteByID(ctx, in.ID)
}

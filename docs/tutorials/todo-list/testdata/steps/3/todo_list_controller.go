package main

import (
	"context"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
)

// TodoListController is LoopBack's TodoListController: the todo lists'
// CRUD operations, their finds with include.
type TodoListController struct {
	lists *TodoListRepository
}

// NewTodoListController receives the repository by injection.
func NewTodoListController(lists *TodoListRepository) *TodoListController {
	return &TodoListController{lists: lists}
}

// Routes declares the operations, with LoopBack's names and statuses.
func (c *TodoListController) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/todo-lists", c.Create, controller.Name("create"),
			controller.ResponseDescription("TodoList model instance")),
		controller.Get("/todo-lists/count", c.Count, controller.Name("count"),
			controller.ResponseDescription("TodoList model count")),
		controller.Get("/todo-lists", c.Find, controller.Name("find"),
			controller.ResponseModel(controller.ModelWithRelations),
			controller.ResponseDescription("Array of TodoList model instances")),
		controller.Patch("/todo-lists", c.UpdateAll, controller.Name("updateAll"),
			controller.RequestModelOf[TodoList](controller.ModelPartial),
			controller.ResponseDescription("TodoList PATCH success count")),
		controller.Get("/todo-lists/{id}", c.FindByID, controller.Name("findById"),
			controller.ResponseModel(controller.ModelWithRelations),
			controller.ResponseDescription("TodoList model instance")),
		controller.Patch("/todo-lists/{id}", c.UpdateByID, controller.Name("updateById"),
			controller.RequestModelOf[TodoList](controller.ModelPartial),
			controller.ResponseDescription("TodoList PATCH success")),
		controller.Delete("/todo-lists/{id}", c.DeleteByID, controller.Name("deleteById"),
			controller.ResponseDescription("TodoList DELETE success")),
		controller.Put("/todo-lists/{id}", c.ReplaceByID, controller.Name("replaceById"),
			controller.ResponseDescription("TodoList PUT success")),
	}
}

// CreateTodoListInput is the body of POST /todo-lists.
type CreateTodoListInput struct {
	List NewTodoList `body:"json"`
}

// Create stores a new list.
func (c *TodoListController) Create(ctx context.Context, in CreateTodoListInput) (*TodoList, error) {
	return c.lists.Create(ctx, TodoList{NewTodoList: in.List})
}

// CountTodoListsInput is the query of GET /todo-lists/count.
type CountTodoListsInput struct {
	Where controller.Where[TodoList] `query:"where"`
}

// Count counts the lists the where clause selects.
func (c *TodoListController) Count(ctx context.Context, in CountTodoListsInput) (repository.Count, error) {
	return c.lists.Count(ctx, in.Where)
}

// FindTodoListsInput is the query of GET /todo-lists.
type FindTodoListsInput struct {
	Filter *controller.Filter[TodoList] `query:"filter"`
}

// Find lists the lists the filter selects, with the relations it
// includes.
func (c *TodoListController) Find(ctx context.Context, in FindTodoListsInput) ([]TodoList, error) {
	return c.lists.Find(ctx, in.Filter)
}

// UpdateTodoListsInput is PATCH /todo-lists: the changes, and which lists
// get them.
type UpdateTodoListsInput struct {
	Where controller.Where[TodoList] `query:"where"`
	Data  repository.Patch[TodoList] `body:"json"`
}

// UpdateAll changes every list the where clause selects.
func (c *TodoListController) UpdateAll(ctx context.Context, in UpdateTodoListsInput) (repository.Count, error) {
	return c.lists.UpdateAll(ctx, in.Data, in.Where)
}

// FindTodoListInput is GET /todo-lists/{id}.
type FindTodoListInput struct {
	ID     int                                        `path:"id"`
	Filter *controller.FilterExcludingWhere[TodoList] `query:"filter"`
}

// FindByID returns one list, with the relations the filter includes.
func (c *TodoListController) FindByID(ctx context.Context, in FindTodoListInput) (*TodoList, error) {
	return c.lists.FindByID(ctx, in.ID, in.Filter)
}

// UpdateTodoListInput is PATCH /todo-lists/{id}: the properties to change.
type UpdateTodoListInput struct {
	ID   int                        `path:"id"`
	Data repository.Patch[TodoList] `body:"json"`
}

// UpdateByID changes the properties the body sends, and no other.
func (c *TodoListController) UpdateByID(ctx context.Context, in UpdateTodoListInput) (controller.NoContent, error) {
	return controller.NoContent{}, c.lists.UpdateByID(ctx, in.ID, in.Data)
}

// DeleteTodoListInput is DELETE /todo-lists/{id}.
type DeleteTodoListInput struct {
	ID int `path:"id"`
}

// DeleteByID removes a list. As in LoopBack, its todos and its image stay,
// pointing at a list that is gone.
func (c *TodoListController) DeleteByID(ctx context.Context, in DeleteTodoListInput) (controller.NoContent, error) {
	return controller.NoContent{}, c.lists.DeleteByID(ctx, in.ID)
}

// ReplaceTodoListInput is PUT /todo-lists/{id}: the whole new list.
type ReplaceTodoListInput struct {
	ID   int      `path:"id"`
	List TodoList `body:"json"`
}

// ReplaceByID replaces a list; properties the body leaves out are gone.
func (c *TodoListController) ReplaceByID(ctx context.Context, in ReplaceTodoListInput) (controller.NoContent, error) {
	return controller.NoContent{}, c.lists.ReplaceByID(ctx, in.ID, in.List)
}

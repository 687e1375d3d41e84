// Package sample is the application the OpenAPI tests document: a Todo
// controller with a path parameter, a validated body, filter-style query
// objects, 204 routes and a hidden route, in LoopBack's Todo shape.
package sample

import (
	"context"
	"reflect"

	"github.com/loomhq/loom/actions/params"
	"github.com/loomhq/loom/controller"
)

// Todo is the model.
type Todo struct {
	ID         int      `json:"id" loom:"id,generated" description:"The generated id."`
	Title      string   `json:"title" validate:"required,min=1,max=80" description:"What to do."`
	Desc       string   `json:"desc,omitempty" validate:"max=500"`
	IsComplete bool     `json:"isComplete"`
	Priority   int      `json:"priority,omitempty" validate:"omitempty,min=1,max=5"`
	Status     string   `json:"status,omitempty" validate:"omitempty,oneof=open done"`
	Email      string   `json:"email,omitempty" validate:"omitempty,email"`
	Tags       []string `json:"tags,omitempty" validate:"max=10,dive,min=1"`
	TodoListID int      `json:"todoListId,omitempty"`
	// TodoList is a relation, no property: in TodoWithRelations only.
	TodoList *TodoList `json:"todoList,omitempty" loom:"belongsTo"`
}

// TodoList is a model with relations: it has many todos, each belonging
// to it, a cycle.
type TodoList struct {
	ID    int    `json:"id" loom:"id,generated"`
	Title string `json:"title" validate:"required"`
	Todos []Todo `json:"todos,omitempty" loom:"hasMany"`
}

// Filter is a LoopBack-style filter of model T, as the repository
// package's is: it reports its model to the document builder.
type Filter[T any] struct {
	Where  map[string]any `json:"where,omitempty"`
	Fields map[string]any `json:"fields,omitempty"`
	Order  []string       `json:"order,omitempty"`
	Limit  int            `json:"limit,omitempty"`
	Skip   int            `json:"skip,omitempty"`
	Offset int            `json:"offset,omitempty"`
}

// FilterModel returns T.
func (Filter[T]) FilterModel() reflect.Type { return reflect.TypeFor[T]() }

// Where is a LoopBack-style where clause of model T.
type Where[T any] map[string]any

// WhereModel returns T.
func (Where[T]) WhereModel() reflect.Type { return reflect.TypeFor[T]() }

// Count is the answer of count.
type Count struct {
	Count int `json:"count"`
}

// Controller is LoopBack's TodoController, answering from nothing.
type Controller struct{}

// ControllerName names it as LoopBack does.
func (Controller) ControllerName() string { return "TodoController" }

type (
	createInput struct {
		Todo Todo `body:"json" validate:"required"`
	}
	findInput struct {
		Filter *Filter[Todo] `query:"filter"`
	}
	countInput struct {
		Where Where[Todo] `query:"where"`
	}
	byIDInput struct {
		ID     int           `path:"id" description:"The todo's id."`
		Filter *Filter[Todo] `query:"filter"`
	}
	idInput struct {
		ID int `path:"id"`
	}
	replaceInput struct {
		ID   int  `path:"id"`
		Todo Todo `body:"json"`
	}
	updateInput struct {
		ID    int            `path:"id"`
		Patch map[string]any `body:"json"`
	}
	searchInput struct {
		Q         string `query:"q" validate:"required,min=2,max=50" description:"Words to look for."`
		Limit     int    `query:"limit" validate:"omitempty,min=1,max=100"`
		Status    string `query:"status" validate:"omitempty,oneof=open done"`
		RequestID string `header:"X-Request-Id" validate:"omitempty,uuid"`
	}
	listsInput struct {
		Filter *Filter[TodoList] `query:"filter"`
	}
	noteInput struct {
		ID   int    `path:"id"`
		Text string `json:"text" validate:"required,max=140"`
		Pin  bool   `json:"pin"`
	}
)

// Routes lists the operations.
func (c Controller) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/todos", c.Create, controller.RequestModel(controller.ModelNew),
			controller.Summary("Create a todo"), controller.ResponseDescription("Todo model instance"),
			controller.RequestExample(map[string]any{"title": "buy milk", "isComplete": false})),
		controller.Get("/todos", c.Find, controller.ResponseModel(controller.ModelWithRelations),
			controller.ResponseDescription("Array of Todo model instances")),
		controller.Get("/todos/count", c.Count, controller.ResponseDescription("Todo model count")),
		controller.Get("/todos/search", c.Search, controller.Description("Full-text search."), controller.Deprecated()),
		controller.Get("/todos/{id}", c.FindByID, controller.Name("findById"), controller.ResponseModel(controller.ModelWithRelations)),
		controller.Put("/todos/{id}", c.ReplaceByID, controller.Name("replaceById"), controller.ResponseDescription("Todo PUT success")),
		controller.Patch("/todos/{id}", c.UpdateByID, controller.Name("updateById"), controller.RequestModelOf[Todo](controller.ModelPartial),
			controller.ResponseDescription("Todo PATCH success"), controller.ErrorResponse(409, "")),
		controller.Delete("/todos/{id}", c.DeleteByID, controller.Name("deleteById"), controller.ResponseDescription("Todo DELETE success")),
		controller.Post("/todos/{id}/notes", c.AddNote, controller.Status(201), controller.Tags("TodoController", "Notes")),
		controller.Get("/internal/stats", c.Stats, controller.Hidden()),
		controller.Get("/todo-lists", c.FindLists, controller.ResponseModel(controller.ModelWithRelations)),
		controller.Put("/todos/{id}/description", c.SetDescription, controller.Name("setDescription")),
		controller.Post("/todos/{id}/attachments", c.Attach, controller.Name("attach"), controller.BodyLimit(10<<20)),
	}
}

type (
	descriptionInput struct {
		ID   int    `path:"id"`
		Text string `body:"text" validate:"required"`
	}
	attachInput struct {
		ID   int               `path:"id"`
		Form *params.Multipart `body:"multipart" validate:"required"`
	}
)

// SetDescription replaces a todo's description with a text body.
func (Controller) SetDescription(_ context.Context, in descriptionInput) (controller.NoContent, error) {
	return controller.NoContent{}, nil
}

// Attach receives files for a todo as multipart/form-data.
func (Controller) Attach(_ context.Context, in attachInput) ([]*params.File, error) {
	return in.Form.Files, nil
}

// Create creates a todo.
func (Controller) Create(_ context.Context, in createInput) (*Todo, error) {
	in.Todo.ID = 1
	return &in.Todo, nil
}

// Find lists todos.
func (Controller) Find(context.Context, findInput) ([]Todo, error) {
	return []Todo{{ID: 1, Title: "buy milk"}}, nil
}

// Count counts todos.
func (Controller) Count(context.Context, countInput) (Count, error) { return Count{Count: 1}, nil }

// Search searches todos.
func (Controller) Search(context.Context, searchInput) ([]Todo, error) { return nil, nil }

// FindByID finds a todo.
func (Controller) FindByID(_ context.Context, in byIDInput) (*Todo, error) {
	return &Todo{ID: in.ID, Title: "buy milk"}, nil
}

// ReplaceByID replaces a todo.
func (Controller) ReplaceByID(context.Context, replaceInput) (controller.NoContent, error) {
	return controller.NoContent{}, nil
}

// UpdateByID patches a todo.
func (Controller) UpdateByID(context.Context, updateInput) (controller.NoContent, error) {
	return controller.NoContent{}, nil
}

// DeleteByID deletes a todo.
func (Controller) DeleteByID(context.Context, idInput) (controller.NoContent, error) {
	return controller.NoContent{}, nil
}

// AddNote adds a note, a body of the input's own json fields.
func (Controller) AddNote(_ context.Context, in noteInput) (*Todo, error) {
	return &Todo{ID: in.ID}, nil
}

// FindLists lists todo lists, with their todos when the filter includes
// them.
func (Controller) FindLists(context.Context, listsInput) ([]TodoList, error) { return nil, nil }

// Stats is hidden from the document.
func (Controller) Stats(context.Context, struct{}) (map[string]int, error) {
	return map[string]int{"todos": 1}, nil
}

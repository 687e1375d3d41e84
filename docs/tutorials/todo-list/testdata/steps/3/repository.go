package main

import (
	"go.uber.org/fx"

	"github.com/loomhq/loom/repository"
)

// TodoListRepository is LoopBack's TodoListRepository: the CRUD
// repository of the todo lists, with the repositories of their relations.
//
//	lists.Todos(listID).Create(ctx, todo) // a todo in the list
type TodoListRepository struct {
	*repository.DefaultCrudRepository[TodoList, int]
	// Todos gives the repository of a list's todos (hasMany).
	Todos repository.HasManyFactory[int, Todo, int]
}

// TodoRepository is LoopBack's TodoRepository: the CRUD repository of
// the todos, with the repository of the list a todo belongs to.
type TodoRepository struct {
	*repository.DefaultCrudRepository[Todo, int]
	// TodoList gives the repository of a todo's list (belongsTo).
	TodoList repository.BelongsToFactory[int, TodoList]
}

// RepositoryParams asks for the data source by its name.
type RepositoryParams struct {
	fx.In
	DB repository.Connector `name:"datasources.db"`
}

// NewRepositories builds the two repositories over the db data source.
// They are built together because their relations refer to one another
// (a list has todos, a todo belongs to a list), where LoopBack injects
// repository getters. A relation whose keys do not match its models
// fails here, at start-up.
func NewRepositories(p RepositoryParams) (*TodoListRepository, *TodoRepository, error) {
	lists, err := repository.NewCrudRepository[TodoList, int](p.DB)
	if err != nil {
		return nil, nil, err
	}
	todos, err := repository.NewCrudRepository[Todo, int](p.DB)
	if err != nil {
		return nil, nil, err
	}
	listTodos, err := repository.NewHasMany(lists, todos, "todos")
	if err != nil {
		return nil, nil, err
	}
	todoList, err := repository.NewBelongsTo(todos, lists, "todoList")
	if err != nil {
		return nil, nil, err
	}
	return &TodoListRepository{lists, listTodos}, &TodoRepository{todos, todoList}, nil
}

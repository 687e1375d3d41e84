package main

import (
	"go.uber.org/fx"

	"github.com/loomhq/loom/repository"
)

// TodoListRepository is LoopBack's TodoListRepository: the CRUD
// repository of the todo lists, with the repositories of their relations.
//
//	lists.Todos(listID).Create(ctx, todo) // a todo in the list
//	lists.Image(listID).Get(ctx, nil)     // the list's image
type TodoListRepository struct {
	*repository.DefaultCrudRepository[TodoList, int]
	// Todos gives the repository of a list's todos (hasMany).
	Todos repository.HasManyFactory[int, Todo, int]
	// Image gives the repository of a list's image (hasOne).
	Image repository.HasOneFactory[int, TodoListImage, int]
}

// TodoRepository is LoopBack's TodoRepository: the CRUD repository of
// the todos, with the repository of the list a todo belongs to.
type TodoRepository struct {
	*repository.DefaultCrudRepository[Todo, int]
	// TodoList gives the repository of a todo's list (belongsTo).
	TodoList repository.BelongsToFactory[int, TodoList]
}

// TodoListImageRepository is LoopBack's TodoListImageRepository: the CRUD
// repository of the images, with the repository of the list an image
// belongs to.
type TodoListImageRepository struct {
	*repository.DefaultCrudRepository[TodoListImage, int]
	// TodoList gives the repository of an image's list (belongsTo).
	TodoList repository.BelongsToFactory[int, TodoList]
}

// RepositoryParams asks for the data source by its name.
type RepositoryParams struct {
	fx.In
	DB repository.Connector `name:"datasources.db"`
}

// NewRepositories builds the three repositories over the db data source.
// They are built together because their relations refer to one another
// (a list has todos, a todo belongs to a list), where LoopBack injects
// repository getters. A relation whose keys do not match its models
// fails here, at start-up.
func NewRepositories(p RepositoryParams) (*TodoListRepository, *TodoRepository, *TodoListImageRepository, error) {
	lists, err := repository.NewCrudRepository[TodoList, int](p.DB)
	if err != nil {
		return nil, nil, nil, err
	}
	todos, err := repository.NewCrudRepository[Todo, int](p.DB)
	if err != nil {
		return nil, nil, nil, err
	}
	images, err := repository.NewCrudRepository[TodoListImage, int](p.DB)
	if err != nil {
		return nil, nil, nil, err
	}
	listTodos, err := repository.NewHasMany(lists, todos, "todos")
	if err != nil {
		return nil, nil, nil, err
	}
	listImage, err := repository.NewHasOne(lists, images, "image")
	if err != nil {
		return nil, nil, nil, err
	}
	todoList, err := repository.NewBelongsTo(todos, lists, "todoList")
	if err != nil {
		return nil, nil, nil, err
	}
	imageList, err := repository.NewBelongsTo(images, lists, "todoList")
	if err != nil {
		return nil, nil, nil, err
	}
	return &TodoListRepository{lists, listTodos, listImage},
		&TodoRepository{todos, todoList},
		&TodoListImageRepository{images, imageList}, nil
}

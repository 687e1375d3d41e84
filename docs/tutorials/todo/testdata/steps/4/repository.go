package main

import (
	"go.uber.org/fx"

	"github.com/loomhq/loom/repository"
)

// TodoRepository is LoopBack's DefaultCrudRepository<Todo, number> over
// the db data source.
type TodoRepository struct {
	*repository.DefaultCrudRepository[Todo, int]
}

// TodoRepositoryParams asks for the data source by its name.
type TodoRepositoryParams struct {
	fx.In
	DB repository.Connector `name:"datasources.db"`
}

// NewTodoRepository builds the repository.
func NewTodoRepository(p TodoRepositoryParams) (*TodoRepository, error) {
	crud, err := repository.NewCrudRepository[Todo, int](p.DB)
	if err != nil {
		return nil, err
	}
	return &TodoRepository{crud}, nil
}

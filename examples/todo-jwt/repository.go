package main

import (
	"go.uber.org/fx"

	"github.com/loomhq/loom/repository"
)

// DBParams asks for the data source by its name.
type DBParams struct {
	fx.In
	DB repository.Connector `name:"datasources.db"`
}

// TodoRepository is LoopBack's DefaultCrudRepository<Todo, number>.
type TodoRepository struct {
	*repository.DefaultCrudRepository[Todo, int]
}

// NewTodoRepository builds the todo repository.
func NewTodoRepository(p DBParams) (*TodoRepository, error) {
	crud, err := repository.NewCrudRepository[Todo, int](p.DB)
	if err != nil {
		return nil, err
	}
	return &TodoRepository{crud}, nil
}

// UserRepository holds the users.
type UserRepository struct {
	*repository.DefaultCrudRepository[User, string]
}

// NewUserRepository builds the user repository.
func NewUserRepository(p DBParams) (*UserRepository, error) {
	crud, err := repository.NewCrudRepository[User, string](p.DB)
	if err != nil {
		return nil, err
	}
	return &UserRepository{crud}, nil
}

// UserCredentialsRepository holds the users' password hashes.
type UserCredentialsRepository struct {
	*repository.DefaultCrudRepository[UserCredentials, string]
}

// NewUserCredentialsRepository builds the credentials repository.
func NewUserCredentialsRepository(p DBParams) (*UserCredentialsRepository, error) {
	crud, err := repository.NewCrudRepository[UserCredentials, string](p.DB)
	if err != nil {
		return nil, err
	}
	return &UserCredentialsRepository{crud}, nil
}

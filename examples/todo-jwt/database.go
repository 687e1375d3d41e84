package main

import (
	"context"
	"fmt"

	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/sql"
)

// NewStore is the db data source: with DatabaseURL set
// (sqlite:data/todo-jwt.db, postgres://…), that database; without, the
// memory connector, LoopBack's db datasource of the example.
func NewStore(cfg Config) (repository.Connector, error) {
	if cfg.DatabaseURL == "" {
		return memory.New(memory.Options{}), nil
	}
	store, err := sql.Open(cfg.DatabaseURL, sql.Options{})
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL is not valid: %w", err)
	}
	return store, nil
}

// Migrate creates the tables of the todos, the users and their
// credentials in the configured database, and adds the columns they lack;
// it drops nothing. The memory connector needs nothing.
func Migrate(ctx context.Context, cfg Config) error {
	store, err := NewStore(cfg)
	if err != nil {
		return err
	}
	if s, ok := store.(lifecycle.Starter); ok {
		if err := s.Start(ctx); err != nil {
			return err
		}
	}
	if s, ok := store.(lifecycle.Stopper); ok {
		defer s.Stop(ctx)
	}
	var models []*repository.Model
	for _, of := range []func() (*repository.Model, error){
		repository.ModelOf[Todo], repository.ModelOf[User], repository.ModelOf[UserCredentials],
	} {
		m, err := of()
		if err != nil {
			return err
		}
		models = append(models, m)
	}
	if err := sql.Migrate(ctx, store, models...); err != nil {
		return fmt.Errorf("todo-jwt: migrate: %w", err)
	}
	return nil
}

package main

import (
	"context"
	"fmt"

	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/sql"
)

// NewStore is the db data source the configuration names: with
// DatabaseURL set (sqlite:data/todo.db, postgres://…), that database;
// without, the memory connector on the data file ([NewDB]).
func NewStore(cfg Config) (repository.Connector, error) {
	if cfg.DatabaseURL == "" {
		return NewDB(cfg)
	}
	store, err := sql.Open(cfg.DatabaseURL, sql.Options{})
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL is not valid: %w", err)
	}
	return store, nil
}

// Migrate creates the tables the models need in the configured database
// and adds the columns they lack, LoopBack's npm run migrate. It drops
// nothing, so it is safe to run on every deployment; the memory connector
// needs nothing.
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
	todo, err := repository.ModelOf[Todo]()
	if err != nil {
		return err
	}
	if err := sql.Migrate(ctx, store, todo); err != nil {
		return fmt.Errorf("todo: migrate: %w", err)
	}
	return nil
}

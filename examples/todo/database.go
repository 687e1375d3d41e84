package main

import (
	"context"
	"fmt"
	"os"
	"strings"

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

// NewTableCheck makes the application refuse to start on a database that
// was never migrated: without it, it would start and answer every request
// with a 500. It reads the todo table once, after the data source started.
func NewTableCheck(todos *TodoRepository) lifecycle.Hooks {
	return lifecycle.Hooks{Name: "todo table check", OnStart: func(ctx context.Context) error {
		_, err := todos.Count(ctx, nil)
		if err != nil && strings.Contains(err.Error(), "does not exist") {
			return fmt.Errorf("todo: the database has no todo table: run %q with the same DATABASE_URL first", migrateCommand())
		}
		return err
	}}
}

// migrateCommand is the command that runs this program's migrate: go run
// builds the program in a temporary folder, where it is not to be run.
func migrateCommand() string {
	if strings.Contains(os.Args[0], "go-build") {
		return "go run . migrate"
	}
	return os.Args[0] + " migrate"
}

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
// DatabaseURL set (sqlite:data/todo-list.db, postgres://…), that
// database; without, the memory connector on the data file ([NewDB]).
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

// Models are the example's models, in the order Migrate creates them.
func Models() ([]*repository.Model, error) {
	var models []*repository.Model
	for _, of := range []func() (*repository.Model, error){
		repository.ModelOf[TodoList], repository.ModelOf[Todo], repository.ModelOf[TodoListImage],
	} {
		m, err := of()
		if err != nil {
			return nil, err
		}
		models = append(models, m)
	}
	return models, nil
}

// Migrate creates the tables the models need in the configured database,
// with their foreign-key columns, and adds the columns they lack:
// LoopBack's npm run migrate. It drops nothing, so it is safe to run on
// every deployment; the memory connector needs nothing.
func Migrate(ctx context.Context, cfg Config) error {
	models, err := Models()
	if err != nil {
		return err
	}
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
	if err := sql.Migrate(ctx, store, models...); err != nil {
		return fmt.Errorf("todo-list: migrate: %w", err)
	}
	return nil
}

// NewTableCheck makes the application refuse to start on a database that
// was never migrated: without it, it would start and answer every request
// with a 500. It counts each model's rows once, after the data source
// started.
func NewTableCheck(lists *TodoListRepository, todos *TodoRepository, images *TodoListImageRepository) lifecycle.Hooks {
	counts := []struct {
		model string
		count func(context.Context) error
	}{
		{lists.Model().Name, func(ctx context.Context) error { _, err := lists.Count(ctx, nil); return err }},
		{todos.Model().Name, func(ctx context.Context) error { _, err := todos.Count(ctx, nil); return err }},
		{images.Model().Name, func(ctx context.Context) error { _, err := images.Count(ctx, nil); return err }},
	}
	return lifecycle.Hooks{Name: "todo-list table check", OnStart: func(ctx context.Context) error {
		for _, c := range counts {
			err := c.count(ctx)
			if err != nil && strings.Contains(err.Error(), "does not exist") {
				return fmt.Errorf("todo-list: the database has no table for %s: run %q with the same DATABASE_URL first",
					c.model, migrateCommand())
			}
			if err != nil {
				return err
			}
		}
		return nil
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

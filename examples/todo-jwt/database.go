package main

import (
	"context"
	"fmt"
	"os"
	"strings"

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

// NewTableCheck makes the application refuse to start on a database that
// was never migrated, instead of answering every signup with a 500: it
// reads the user table once, after the data source started.
func NewTableCheck(users *UserRepository) lifecycle.Hooks {
	return lifecycle.Hooks{Name: "todo-jwt table check", OnStart: func(ctx context.Context) error {
		_, err := users.Count(ctx, nil)
		if err != nil && strings.Contains(err.Error(), "does not exist") {
			return fmt.Errorf("todo-jwt: the database has no user table: run %q with the same DATABASE_URL first", migrateCommand())
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

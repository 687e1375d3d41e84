package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/loomhq/loom/actions/authentication/token"
	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/sql"
)

// NewStore is the db data source the configuration names: with
// DatabaseURL set (sqlite:data/shop.db, postgres://…), that database;
// without, the memory connector, LoopBack 3's db data source, kept in
// DataFile when one is set.
func NewStore(cfg Config) (repository.Connector, error) {
	if cfg.DatabaseURL == "" {
		return memory.New(memory.Options{File: cfg.DataFile}), nil
	}
	store, err := sql.Open(cfg.DatabaseURL, sql.Options{})
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL is not valid: %w", err)
	}
	return store, nil
}

// Migrate creates the tables of the models and of the access tokens in the configured database
// and adds the columns they lack. It drops nothing, so it is safe to run
// on every deployment; the memory connector needs nothing.
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
		repository.ModelOf[CoffeeShop], repository.ModelOf[Review], repository.ModelOf[Reviewer],
		repository.ModelOf[Tag], repository.ModelOf[CoffeeShopTag], repository.ModelOf[token.AccessToken],
	} {
		m, err := of()
		if err != nil {
			return err
		}
		models = append(models, m)
	}
	if err := sql.Migrate(ctx, store, models...); err != nil {
		return fmt.Errorf("coffee-shop: migrate: %w", err)
	}
	return nil
}

// notMigrated turns the error of a read of a table that does not exist
// into one that says to migrate: without the check the application
// would start and answer every request with a 500.
func notMigrated(err error) error {
	if err != nil && strings.Contains(err.Error(), "does not exist") {
		return fmt.Errorf("coffee-shop: the database has no tables: run %q with the same DATABASE_URL first", migrateCommand())
	}
	return err
}

// migrateCommand is the command that runs this program's migrate: go run
// builds the program in a temporary folder, where it is not to be run.
func migrateCommand() string {
	if strings.Contains(os.Args[0], "go-build") {
		return "go run ./examples/coffee-shop migrate"
	}
	return os.Args[0] + " migrate"
}

package main

import (
	"context"
	"fmt"

	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/sql"
)

// NewStore is the db data source the configuration names: without
// DatabaseURL, the memory connector, which forgets everything when the
// server stops; with it (sqlite:data/shop.db, postgres://…), that
// database, whose tables the models get the first time they are used.
func NewStore(cfg Config) (repository.Connector, error) {
	store, err := sql.FromURL(cfg.DatabaseURL, sql.Options{AutoMigrate: true})
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL is not valid: %w", err)
	}
	return store, nil
}

// models are the models kept in the db data source, for Migrate.
var models = []func() (*repository.Model, error){
	repository.ModelOf[CoffeeShop],
	repository.ModelOf[Review],
	repository.ModelOf[Tag],
	repository.ModelOf[CoffeeShopTag],
}

// Migrate creates the tables the models need in the configured database
// and adds the columns they lack, LoopBack 3's automigrate. It drops
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
	var all []*repository.Model
	for _, modelOf := range models {
		m, err := modelOf()
		if err != nil {
			return err
		}
		all = append(all, m)
	}
	if err := sql.Migrate(ctx, store, all...); err != nil {
		return fmt.Errorf("coffee-shop: migrate: %w", err)
	}
	return nil
}

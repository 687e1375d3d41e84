// Command todo-list is LoopBack 4's TodoList application, built with
// Loom: the Todo application continued with relations.
//
//	go run .            # http://127.0.0.1:3000
//	PORT=8080 go run .
//
// DATABASE_URL keeps the data in a database instead (create its tables
// first with the migrate command):
//
//	DATABASE_URL=sqlite:data/todo-list.db go run . migrate
//	DATABASE_URL=sqlite:data/todo-list.db go run .
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/rest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := ConfigFromEnv()
	if err != nil {
		return err
	}
	if len(os.Args) > 1 {
		if os.Args[1] != "migrate" || len(os.Args) > 2 {
			return fmt.Errorf("usage: %s [migrate]", os.Args[0])
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return Migrate(ctx, cfg)
	}
	logConfig := zap.NewDevelopmentConfig()
	logConfig.Level = zap.NewAtomicLevelAt(zap.InfoLevel)
	log, err := logConfig.Build()
	if err != nil {
		return err
	}
	defer log.Sync()
	app, err := NewApplication(cfg, rest.WithLogger(log))
	if err != nil {
		return err
	}
	return withDatabaseHint(app.Run(), cfg)
}

// withDatabaseHint points at DATABASE_URL when the database it names did
// not start: the connector's error names the host, not the variable.
func withDatabaseHint(err error, cfg Config) error {
	var failed *lifecycle.ObserverError
	if cfg.DatabaseURL == "" || !errors.As(err, &failed) || failed.Group != repository.DataSourceGroup {
		return err
	}
	return fmt.Errorf("%w\n  check DATABASE_URL, or leave it unset to keep the data in %s", err, cfg.DataFile)
}

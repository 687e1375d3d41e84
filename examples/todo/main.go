// Command todo is LoopBack 4's Todo example on Loom: a REST API over a
// Todo model kept in data/db.json, with an API document at /openapi.json,
// an API Explorer at /explorer/ and a home page at /.
//
//	go run ./examples/todo            # http://127.0.0.1:3000
//	PORT=8080 go run ./examples/todo
//
// DATABASE_URL keeps the todos in a database instead (create its table
// first with the migrate command):
//
//	DATABASE_URL=sqlite:data/todo.db go run ./examples/todo migrate
//	DATABASE_URL=sqlite:data/todo.db go run ./examples/todo
//
// The tutorial that builds it step by step is docs/tutorials/todo.
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
	return fmt.Errorf("%w\n  check DATABASE_URL, or leave it unset to keep the todos in %s", err, cfg.DataFile)
}

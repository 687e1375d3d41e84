// Command coffee-shop is LoopBack 3's Coffee Shop Reviews application on
// Loom: the CoffeeShop, Review, Reviewer and Tag models, each exposed
// under /api with one line in LoopBack 3's REST conventions, with their
// relations, validations, remote methods (status, nearby), remote hooks,
// ACLs, the reviewers' sign-up and login with access tokens, and the seed
// data. The API Explorer is at /explorer/.
//
//	go run .            # http://127.0.0.1:3000/api/CoffeeShops
//	PORT=8080 go run .
//
// Without DATABASE_URL the data is kept in memory, as LoopBack 3's app
// does (DATA_FILE keeps it in a file across restarts). DATABASE_URL keeps
// it in SQLite or PostgreSQL instead; create the tables first with the
// migrate command:
//
//	DATABASE_URL=sqlite:data/shop.db go run . migrate
//	DATABASE_URL=sqlite:data/shop.db go run .
//
// An empty store is seeded with three tags and five coffee shops.
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
	if cfg.Port != 0 {
		host := cfg.Host
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "127.0.0.1"
		}
		log.Info("try the API", zap.String("api", fmt.Sprintf("http://%s:%d/api/CoffeeShops", host, cfg.Port)),
			zap.String("explorer", fmt.Sprintf("http://%s:%d/explorer/", host, cfg.Port)))
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
	return fmt.Errorf("%w\n  check DATABASE_URL, or leave it unset to keep the data in memory", err)
}

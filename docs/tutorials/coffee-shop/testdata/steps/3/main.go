// Command coffee-shop is LoopBack 3's Coffee Shop Reviews application,
// built with Loom.
//
//	go run .            # http://127.0.0.1:3000
//	PORT=8080 go run .
//
// DATABASE_URL keeps the data in a database instead; migrate creates its
// tables ahead of the first request:
//
//	DATABASE_URL=sqlite:data/shop.db go run . migrate
//	DATABASE_URL=sqlite:data/shop.db go run .
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"go.uber.org/zap"

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
	return app.Run()
}

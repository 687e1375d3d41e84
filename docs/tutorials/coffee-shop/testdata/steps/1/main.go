// Command coffee-shop is LoopBack 3's Coffee Shop Reviews application,
// built with Loom.
//
//	go run .            # http://127.0.0.1:3000
//	PORT=8080 go run .
package main

import (
	"fmt"
	"os"

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

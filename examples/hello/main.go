package main

import (
	"log"
	"os"
	"strconv"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
)

func main() {
	port, _ := strconv.Atoi(os.Getenv("PORT"))
	if port == 0 {
		port = 3000
	}
	logConfig := zap.NewDevelopmentConfig()
	logConfig.Level = zap.NewAtomicLevelAt(zap.InfoLevel)
	logger, err := logConfig.Build()
	if err != nil {
		log.Fatal(err)
	}
	app, err := NewApp(rest.Config{Host: os.Getenv("HOST"), Port: port}, logger)
	if err != nil {
		logger.Fatal("cannot build the application", zap.Error(err))
	}
	if err := app.Run(); err != nil {
		logger.Fatal("application failed", zap.Error(err))
	}
}

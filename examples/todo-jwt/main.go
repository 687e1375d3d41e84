// Command todo-jwt is LoopBack 4's example-todo-jwt on Loom: the Todo API
// for logged-in users only. A user signs up with an email and a password
// (POST /signup), logs in for a JSON Web Token (POST /users/login), and
// sends it as "Authorization: Bearer <token>" to the todo endpoints and to
// GET /whoAmI.
//
//	JWT_SECRET=$(openssl rand -hex 32) go run ./examples/todo-jwt   # http://127.0.0.1:3000
//
// Without JWT_SECRET the tokens are signed with a random secret and do
// not outlive the process. JWT_EXPIRES_IN is their lifetime in seconds
// (21600 by default). DATABASE_URL keeps users and todos in a database
// instead of memory (create its tables first with the migrate command):
//
//	DATABASE_URL=sqlite:data/todo-jwt.db go run ./examples/todo-jwt migrate
//	DATABASE_URL=sqlite:data/todo-jwt.db go run ./examples/todo-jwt
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
	if len(cfg.JWTSecret) == 0 {
		log.Warn("JWT_SECRET is not set: tokens are signed with a random secret and do not outlive the process")
	}
	app, err := NewApplication(cfg, rest.WithLogger(log))
	if err != nil {
		return err
	}
	return app.Run()
}

package main

import (
	"os"
	"strconv"
	"time"

	"go.uber.org/fx"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/rest"
)

// Config is the application's configuration.
type Config struct {
	// Host and Port are where the server listens; Port 0 picks a free one.
	Host string
	Port int
	// DataFile keeps the data across restarts; empty keeps it in memory.
	DataFile string
	// DatabaseURL names a database to keep the data in instead of the data
	// file: sqlite:data/todo-list.db or postgres://… (see [NewStore]).
	DatabaseURL string
}

// ConfigFromEnv reads HOST, PORT (3000 by default), DATA_FILE
// (data/todo-list.json by default) and DATABASE_URL.
//
// The data file is not LoopBack's data/db.json: run from the repository's
// root, this example and the Todo example would share that file, and the
// Todo example's todos belong to no list.
func ConfigFromEnv() (Config, error) {
	cfg := Config{
		Host:        os.Getenv("HOST"),
		Port:        3000,
		DataFile:    "data/todo-list.json",
		DatabaseURL: os.Getenv("DATABASE_URL"),
	}
	if p := os.Getenv("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 {
			return cfg, &configError{"PORT", p}
		}
		cfg.Port = n
	}
	if f, ok := os.LookupEnv("DATA_FILE"); ok {
		cfg.DataFile = f
	}
	return cfg, nil
}

type configError struct{ name, value string }

func (e *configError) Error() string {
	return "todo-list: " + e.name + " is not valid: " + strconv.Quote(e.value)
}

// NewApplication builds the TodoList application: LoopBack's
// TodoListApplication. opts come last, so a test can replace any binding.
func NewApplication(cfg Config, opts ...rest.Option) (*rest.Application, error) {
	base := []rest.Option{
		rest.WithConfig(rest.Config{
			Host:        cfg.Host,
			Port:        cfg.Port,
			GracePeriod: 5 * time.Second,
			OpenAPI: rest.OpenAPIConfig{
				Title:              "@loopback/example-todo-list",
				Version:            "1.0.0",
				Description:        "Continuation of the todo example using relations in Loom.",
				ServersFromRequest: true,
			},
		}),
		rest.WithFx(fx.Supply(cfg)),
		rest.WithDataSource("db", NewStore),
		rest.WithRepository(NewRepositories),
		rest.WithObserver(NewTableCheck, repository.DataSourceGroup),
		rest.WithController(NewTodoListController),
		rest.WithController(NewTodoListTodoController),
		rest.WithController(NewTodoController),
		rest.WithController(NewTodoTodoListController),
		rest.WithStatic("/", publicFiles()),
	}
	return rest.New(append(base, opts...)...)
}

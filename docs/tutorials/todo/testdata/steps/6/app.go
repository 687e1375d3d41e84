package main

import (
	"os"
	"strconv"
	"time"

	"go.uber.org/fx"

	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/rest"
)

// Config is the application's configuration.
type Config struct {
	// Host and Port are where the server listens; Port 0 picks a free one.
	Host string
	Port int
	// DataFile keeps the todos across restarts; empty keeps them in memory.
	DataFile string
}

// ConfigFromEnv reads HOST, PORT (3000 by default) and DATA_FILE
// (data/db.json by default).
func ConfigFromEnv() (Config, error) {
	cfg := Config{
		Host:     os.Getenv("HOST"),
		Port:     3000,
		DataFile: "data/db.json",
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
	return "todo: " + e.name + " is not valid: " + strconv.Quote(e.value)
}

// NewApplication builds the Todo application: LoopBack's TodoListApplication.
// opts come last, so a test can replace any binding (the logger, an action).
func NewApplication(cfg Config, opts ...rest.Option) (*rest.Application, error) {
	base := []rest.Option{
		rest.WithConfig(rest.Config{
			Host:        cfg.Host,
			Port:        cfg.Port,
			GracePeriod: 5 * time.Second,
			Health:      rest.HealthConfig{Enabled: true},
			Metrics:     rest.MetricsConfig{Enabled: true},
			OpenAPI: rest.OpenAPIConfig{
				Title:              "@loopback/example-todo",
				Version:            "1.0.0",
				Description:        "Tutorial example on how to build an application with Loom.",
				ServersFromRequest: true,
			},
		}),
		rest.WithFx(fx.Supply(cfg)),
		rest.WithDataSource("db", NewDB),
		rest.WithRepository(NewTodoRepository),
		rest.WithController(NewTodoController),
		rest.WithStatic("/", publicFiles()),
		rest.WithSequence(NewMySequence),
		rest.WithInterceptors(interceptor.NewGlobal(Timing, "timing", interceptor.Named("timing"))),
	}
	return rest.New(append(base, opts...)...)
}

// Timing is a global interceptor that reports how long the handler took
// in the X-Response-Time header.
func Timing(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
	start := time.Now()
	result, err := next()
	if ic.Request != nil {
		ic.Request.Response.Header().Set("X-Response-Time", time.Since(start).String())
	}
	return result, err
}

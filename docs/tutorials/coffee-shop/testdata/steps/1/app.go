package main

import (
	"os"
	"strconv"
	"time"

	"github.com/loomhq/loom/rest"
)

// Config is the application's configuration.
type Config struct {
	// Host and Port are where the server listens; Port 0 picks a free one.
	Host string
	Port int
}

// ConfigFromEnv reads HOST (127.0.0.1 by default) and PORT (3000 by
// default).
func ConfigFromEnv() (Config, error) {
	cfg := Config{
		Host: "127.0.0.1",
		Port: 3000,
	}
	if h := os.Getenv("HOST"); h != "" {
		cfg.Host = h
	}
	if p := os.Getenv("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 {
			return cfg, &configError{"PORT", p}
		}
		cfg.Port = n
	}
	return cfg, nil
}

type configError struct{ name, value string }

func (e *configError) Error() string {
	return "coffee-shop: " + e.name + " is not valid: " + strconv.Quote(e.value)
}

// NewApplication builds the application, with no model yet. opts come
// last, so a test can replace any binding.
func NewApplication(cfg Config, opts ...rest.Option) (*rest.Application, error) {
	base := []rest.Option{
		rest.WithConfig(rest.Config{
			Host: cfg.Host, Port: cfg.Port, GracePeriod: 5 * time.Second,
			OpenAPI: rest.OpenAPIConfig{
				Title:              "coffee-shop",
				Version:            "1.0.0",
				Description:        "LoopBack 3's Coffee Shop Reviews application on Loom.",
				ServersFromRequest: true,
			},
		}),
	}
	return rest.New(append(base, opts...)...)
}

package main

import (
	"os"
	"strconv"
	"time"

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/controller/modelapi/user"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/rest"
)

// Config is the application's configuration.
type Config struct {
	// Host and Port are where the server listens; Port 0 picks a free one.
	Host string
	Port int
	// DatabaseURL names the store: "" for the memory connector,
	// sqlite:data/shop.db or postgres://… for a database.
	DatabaseURL string
}

// ConfigFromEnv reads HOST, PORT (3000 by default) and DATABASE_URL.
func ConfigFromEnv() (Config, error) {
	cfg := Config{
		Host:        os.Getenv("HOST"),
		Port:        3000,
		DatabaseURL: os.Getenv("DATABASE_URL"),
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

// NewApplication builds the Coffee Shop application: the models' APIs
// under /api, over the db data source. opts come last, so a test can
// replace any binding (the logger, a data source).
func NewApplication(cfg Config, opts ...rest.Option) (*rest.Application, error) {
	base := []rest.Option{
		rest.WithConfig(rest.Config{
			Host:        cfg.Host,
			Port:        cfg.Port,
			GracePeriod: 5 * time.Second,
			OpenAPI: rest.OpenAPIConfig{
				Title:              "coffee-shop",
				Version:            "1.0.0",
				ServersFromRequest: true,
			},
		}),
		rest.WithDataSource("db", func() (repository.Connector, error) {
			return NewStore(cfg)
		}),
		// A client logs in as a reviewer and sends the access token it
		// gets in the Authorization header.
		rest.WithAuthentication(user.TokenStrategy(user.TokenOptions{})),
		rest.WithRepository(NewShops),
		rest.WithModelAPI[CoffeeShop, int](modelapi.Path("/api/CoffeeShops"),
			modelapi.Authenticate("token"), modelapi.ACLs(CoffeeShopACLs()...),
			modelapi.Methods(NewMethods)),
		rest.WithModelAPI[Review, int](modelapi.Path("/api/Reviews"),
			modelapi.Authenticate("token"), modelapi.ACLs(ReviewACLs()...), modelapi.OwnerKey("reviewer")),
		rest.WithModelAPI[Reviewer, int](modelapi.Path("/api/Reviewers"),
			user.API[Reviewer, int](user.Options{}), modelapi.Disable("prototype.verify"),
			modelapi.ACLs(ReviewerACLs()...)),
		rest.WithModelAPI[Tag, int](modelapi.Path("/api/Tags"),
			modelapi.Authenticate("token"), modelapi.ACLs(TagACLs()...)),
		// The seed runs once the data sources have started.
		rest.WithObserver(NewSeed, "seed"),
		rest.WithObserverGroups(repository.DataSourceGroup, "seed"),
	}
	return rest.New(append(base, opts...)...)
}

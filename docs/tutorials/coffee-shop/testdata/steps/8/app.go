package main

import (
	"context"
	"os"
	"strconv"
	"time"

	"go.uber.org/fx"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/controller/modelapi/user"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/rest"
)

// Config is the application's configuration.
type Config struct {
	// Host and Port are where the server listens; Port 0 picks a free one.
	Host string
	Port int
	// DataFile keeps the memory store's data across restarts; empty keeps
	// it in memory only, as LoopBack 3's app does.
	DataFile string
	// DatabaseURL names a database to keep the data in instead of the
	// memory store: sqlite:data/shop.db or postgres://… (see [NewStore]).
	DatabaseURL string
	// PasswordCost is the bcrypt cost of the reviewers' passwords; 0 is
	// LoopBack 3's 10. Tests lower it: they check behaviour, not
	// strength.
	PasswordCost int
}

// ConfigFromEnv reads HOST (127.0.0.1 by default), PORT (3000 by
// default), DATA_FILE and DATABASE_URL.
func ConfigFromEnv() (Config, error) {
	cfg := Config{
		Host:        "127.0.0.1",
		Port:        3000,
		DataFile:    os.Getenv("DATA_FILE"),
		DatabaseURL: os.Getenv("DATABASE_URL"),
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

// NewApplication builds the application: the four models' APIs under
// /api, in LoopBack 3's conventions, over the db data source, with the
// remote methods, hooks and ACLs of LoopBack 3's app and its access
// tokens, seeded when the store is empty. opts come last, so a test can
// replace any binding.
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
		rest.WithFx(fx.Supply(cfg)),
		rest.WithDataSource("db", NewStore),
		// Reviewers log in for access tokens, which the other models accept.
		rest.WithAuthentication(user.TokenStrategy(user.TokenOptions{})),
		rest.WithRepository(NewShops),

		// One line per model API: the methods, relations, validations
		// and ACLs come from the models and the options.
		rest.WithModelAPI[CoffeeShop, int](modelapi.Path("/api/CoffeeShops"), modelapi.Authenticate("token"),
			modelapi.Methods(NewMethods), modelapi.ACLs(CoffeeShopACLs()...)),
		rest.WithModelAPI[Review, int](modelapi.Path("/api/Reviews"), modelapi.Authenticate("token"),
			modelapi.ACLs(ReviewACLs()...), modelapi.OwnerKey("reviewer"), modelapi.BeforeWrite(reviewWritten(time.Now))),
		rest.WithModelAPI[Reviewer, int](modelapi.Path("/api/Reviewers"), user.API[Reviewer, int](user.Options{Cost: cfg.PasswordCost}),
			modelapi.ACLs(ReviewerACLs()...), modelapi.Disable("prototype.verify")),
		rest.WithModelAPI[Tag, int](modelapi.Path("/api/Tags"), modelapi.Authenticate("token"), modelapi.ACLs(TagACLs()...)),

		rest.WithController(NewRoot),
		rest.WithObserver(NewSeed, "seed"),
		rest.WithObserverGroups(repository.DataSourceGroup, "seed"),
		rest.WithInterceptors(
			interceptor.After("CoffeeShop.prototype.*", setHookHeader),
			interceptor.After("*.find", setResultCount),
		),
	}
	return rest.New(append(base, opts...)...)
}

// Status is the document GET / answers: when the server started and for
// how many seconds it has run, LoopBack 3's loopback.status().
type Status struct {
	Started string  `json:"started"`
	Uptime  float64 `json:"uptime"`
}

// NewRoot is the controller of GET /.
func NewRoot() controller.Controller {
	started := time.Now()
	return controller.Func{Label: "Root", List: []controller.Route{
		controller.Get("/", func(context.Context, struct{}) (Status, error) {
			return Status{Started: started.UTC().Format(dateLayout), Uptime: time.Since(started).Seconds()}, nil
		}, controller.Name("status"), controller.Hidden()),
	}}
}

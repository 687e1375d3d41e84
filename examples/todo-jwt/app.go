package main

import (
	"crypto/rand"
	"os"
	"strconv"
	"time"

	"go.uber.org/fx"
	"golang.org/x/crypto/bcrypt"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/actions/authentication/jwt"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/rest"
)

// Config is the application's configuration.
type Config struct {
	// Host and Port are where the server listens; Port 0 picks a free one.
	Host string
	Port int
	// DatabaseURL names a database to keep users and todos in:
	// sqlite:data/todo-jwt.db or postgres://… (see [NewStore]); empty
	// keeps them in memory.
	DatabaseURL string
	// JWTSecret signs the tokens (HS256), at least 32 bytes; empty is a
	// random secret made at start.
	JWTSecret []byte
	// JWTExpiresIn is how long a token is valid; zero is LoopBack's 21600
	// seconds.
	JWTExpiresIn time.Duration
	// BcryptCost is the cost passwords are hashed with; zero is
	// bcrypt.DefaultCost.
	BcryptCost int
	// Now is the tokens' clock; nil is time.Now.
	Now func() time.Time
}

// ConfigFromEnv reads HOST, PORT (3000 by default), DATABASE_URL,
// JWT_SECRET and JWT_EXPIRES_IN (seconds).
func ConfigFromEnv() (Config, error) {
	cfg := Config{
		Host:        os.Getenv("HOST"),
		Port:        3000,
		DatabaseURL: os.Getenv("DATABASE_URL"),
		JWTSecret:   []byte(os.Getenv("JWT_SECRET")),
	}
	if p := os.Getenv("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 {
			return cfg, &configError{"PORT", p}
		}
		cfg.Port = n
	}
	if s := os.Getenv("JWT_EXPIRES_IN"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return cfg, &configError{"JWT_EXPIRES_IN", s}
		}
		cfg.JWTExpiresIn = time.Duration(n) * time.Second
	}
	if n := len(cfg.JWTSecret); n > 0 && n < jwt.MinSecret {
		return cfg, &configError{"JWT_SECRET", "(" + strconv.Itoa(n) + " bytes; at least " + strconv.Itoa(jwt.MinSecret) + ")"}
	}
	return cfg, nil
}

// configError says which variable is wrong; it quotes the value, except
// the secret's, which it only measures.
type configError struct{ name, value string }

func (e *configError) Error() string {
	if e.name == "JWT_SECRET" {
		return "todo-jwt: JWT_SECRET is too short " + e.value
	}
	return "todo-jwt: " + e.name + " is not valid: " + strconv.Quote(e.value)
}

// NewTokenService is the JWT token service of the configuration: LoopBack's
// JWTService.
func NewTokenService(cfg Config) (*jwt.Service, error) {
	secret := cfg.JWTSecret
	if len(secret) == 0 {
		secret = make([]byte, 32)
		rand.Read(secret)
	}
	return jwt.New(jwt.Config{Secret: secret, ExpiresIn: cfg.JWTExpiresIn, Now: cfg.Now})
}

// NewApplication builds the application: LoopBack's TodoListApplication
// with the JWT authentication component. opts come last, so a test can
// replace any binding.
func NewApplication(cfg Config, opts ...rest.Option) (*rest.Application, error) {
	if cfg.BcryptCost == 0 {
		cfg.BcryptCost = bcrypt.DefaultCost
	}
	base := []rest.Option{
		rest.WithConfig(rest.Config{
			Host:        cfg.Host,
			Port:        cfg.Port,
			GracePeriod: 5 * time.Second,
			OpenAPI: rest.OpenAPIConfig{
				Title:              "@loopback/example-todo-jwt",
				Version:            "1.0.0",
				Description:        "Tutorial example on how to build an application with Loom and JWT authentication.",
				ServersFromRequest: true,
			},
		}),
		rest.WithFx(fx.Supply(cfg)),
		rest.WithDataSource("db", NewStore),
		rest.WithRepository(NewTodoRepository),
		rest.WithRepository(NewUserRepository),
		rest.WithRepository(NewUserCredentialsRepository),
		rest.WithObserver(NewTableCheck, repository.DataSourceGroup),
		rest.WithProviders(NewTokenService, NewUserService),
		rest.WithAuthentication(func(s *jwt.Service) authentication.Strategy { return jwt.NewStrategy(s, jwt.RequireHeader()) }),
		rest.WithController(NewTodoController),
		rest.WithController(NewUserController),
		rest.WithSequence(NewMySequence),
	}
	return rest.New(append(base, opts...)...)
}

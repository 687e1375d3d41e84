package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
)

func TestConfigFromEnv(t *testing.T) {
	t.Setenv("PORT", "4000")
	t.Setenv("JWT_SECRET", "0123456789abcdef0123456789abcdef")
	t.Setenv("JWT_EXPIRES_IN", "60")
	cfg, err := ConfigFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Port != 4000 || cfg.JWTExpiresIn != time.Minute || string(cfg.JWTSecret) != "0123456789abcdef0123456789abcdef" {
		t.Fatalf("cfg = %+v", cfg)
	}
}

// A bad variable is named; the secret is measured, never quoted.
func TestConfigFromEnvRefuses(t *testing.T) {
	for _, c := range []struct{ name, value, want string }{
		{"PORT", "x", `PORT is not valid: "x"`},
		{"JWT_EXPIRES_IN", "-1", `JWT_EXPIRES_IN is not valid: "-1"`},
		{"JWT_EXPIRES_IN", "soon", `JWT_EXPIRES_IN is not valid: "soon"`},
		{"JWT_SECRET", "myjwts3cr3t", "JWT_SECRET is too short (11 bytes; at least 32)"},
	} {
		t.Run(c.name+"="+c.value, func(t *testing.T) {
			t.Setenv(c.name, c.value)
			_, err := ConfigFromEnv()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if c.name == "JWT_SECRET" && strings.Contains(err.Error(), c.value) {
				t.Fatalf("the error quotes the secret: %v", err)
			}
		})
	}
}

// Without JWT_SECRET, each start signs with a secret of its own: a token
// of one does not verify in another.
func TestRandomSecretPerStart(t *testing.T) {
	a, err := NewTokenService(Config{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewTokenService(Config{})
	if err != nil {
		t.Fatal(err)
	}
	token, err := a.Generate((&UserService{}).Profile(&User{ID: "1", Email: "a@b.co"}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Verify(token); err == nil {
		t.Fatal("two random secrets verify each other's tokens")
	}
	if _, err := a.Verify(token); err != nil {
		t.Fatal(err)
	}
}

// An application on a database that was never migrated does not start,
// and says what to run.
func TestRefusesAnUnmigratedDatabase(t *testing.T) {
	cfg := Config{Host: "127.0.0.1", DatabaseURL: "sqlite:" + filepath.Join(t.TempDir(), "empty.db"), JWTSecret: testSecret}
	app, err := NewApplication(cfg, rest.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = app.Start(ctx)
	if err == nil {
		app.Stop(ctx)
		t.Fatal("the application started on a database without tables")
	}
	if !strings.Contains(err.Error(), "no user table") || !strings.Contains(err.Error(), "migrate") {
		t.Fatalf("err = %v, want the migrate hint", err)
	}
}

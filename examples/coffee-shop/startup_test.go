package main

import (
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
)

// TestStart_OnADatabaseThatWasNeverMigrated_SaysToMigrate checks the
// application refuses to start on tables that do not exist, rather than
// answer every request with a 500.
func TestStart_OnADatabaseThatWasNeverMigrated_SaysToMigrate(t *testing.T) {
	app, err := NewApplication(Config{Host: "127.0.0.1", DatabaseURL: "sqlite:" + filepath.Join(t.TempDir(), "shop.db")},
		rest.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	err = app.Start(t.Context())
	if err == nil {
		_ = app.Stop(t.Context())
		t.Fatal("the application started on a database without tables")
	}
	if !strings.Contains(err.Error(), "the database has no tables") || !strings.Contains(err.Error(), "migrate") {
		t.Fatalf("the error does not say to migrate: %v", err)
	}
}

// TestConfigFromEnv checks the defaults and that a bad PORT is refused.
func TestConfigFromEnv(t *testing.T) {
	t.Setenv("HOST", "")
	t.Setenv("PORT", "")
	t.Setenv("DATA_FILE", "")
	t.Setenv("DATABASE_URL", "")
	cfg, err := ConfigFromEnv()
	if err != nil || cfg.Host != "127.0.0.1" || cfg.Port != 3000 || cfg.DataFile != "" || cfg.DatabaseURL != "" {
		t.Fatalf("ConfigFromEnv() = %+v, %v; want 127.0.0.1:3000 on the memory store", cfg, err)
	}
	t.Setenv("PORT", "http")
	if _, err := ConfigFromEnv(); err == nil || !strings.Contains(err.Error(), "PORT") {
		t.Fatalf("PORT=http: %v, want an error naming PORT", err)
	}
}

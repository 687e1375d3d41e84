package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

func TestTodoList_OnADatabaseThatWasNeverMigrated_RefusesToStartSayingToMigrate(t *testing.T) {
	cfg := Config{Host: "127.0.0.1", DatabaseURL: "sqlite:" + filepath.Join(t.TempDir(), "todo-list.db")}
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
	for _, part := range []string{"the database has no table for TodoList", ` migrate" with the same DATABASE_URL first`} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("the error lacks %q:\n%v", part, err)
		}
	}
}

func TestMigrate_RunsTwice_AndLeavesADatabaseTheApplicationStartsOn(t *testing.T) {
	cfg := Config{Host: "127.0.0.1", DatabaseURL: "sqlite:" + filepath.Join(t.TempDir(), "todo-list.db")}
	for range 2 {
		if err := Migrate(t.Context(), cfg); err != nil {
			t.Fatal(err)
		}
	}
	app, err := NewApplication(cfg, rest.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	a := resttest.Adopt(t, app)
	// A database starts empty: the seed is the data file's.
	for _, path := range []string{"/todo-lists", "/todos"} {
		expectJSON(t, a.Get(path), 200, `[]`)
	}
}

func TestConfigFromEnv_ReadsThePortAndTheDataFile(t *testing.T) {
	t.Setenv("PORT", "8080")
	t.Setenv("DATA_FILE", "")
	t.Setenv("DATABASE_URL", "sqlite:x.db")
	cfg, err := ConfigFromEnv()
	if err != nil || cfg.Port != 8080 || cfg.DataFile != "" || cfg.DatabaseURL != "sqlite:x.db" {
		t.Errorf("%+v, %v", cfg, err)
	}
	t.Setenv("PORT", "http")
	if _, err := ConfigFromEnv(); err == nil || !strings.Contains(err.Error(), `PORT is not valid: "http"`) {
		t.Errorf("PORT=http: %v", err)
	}
}

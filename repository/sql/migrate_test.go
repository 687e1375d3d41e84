package sql

import (
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
)

type itemV1 struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Name string `json:"name" validate:"required"`
}

func (itemV1) ModelName() string { return "Item" }

type itemV2 struct {
	ID   int     `json:"id,omitempty" loom:"id,generated"`
	Name string  `json:"name" validate:"required"`
	Note *string `json:"note,omitempty"`
}

func (itemV2) ModelName() string { return "Item" }

func modelOf[T any](t *testing.T) *repository.Model {
	t.Helper()
	m, err := repository.ModelOf[T]()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMigrateSQLite(t *testing.T) {
	runMigrate(t, func(t *testing.T) *Connector { return sqliteFile(t, Options{}) })
}

func TestMigratePostgres(t *testing.T) {
	requirePostgres(t)
	runMigrate(t, func(t *testing.T) *Connector { return postgres(t, Options{}) })
}

func runMigrate(t *testing.T, open func(t *testing.T) *Connector) {
	t.Run("given no migration, when finding, then the error names the table and the fix", func(t *testing.T) {
		c := open(t)
		items, _ := repository.NewCrudRepository[itemV1, int](c)
		_, err := items.Find(t.Context(), nil)
		if err == nil || !strings.Contains(err.Error(), "does not exist: migrate the model") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("given rows of an older model, when the new one migrates, then its column is added and rows are kept", func(t *testing.T) {
		c := open(t)
		ctx := t.Context()
		if err := c.Migrate(ctx, modelOf[itemV1](t)); err != nil {
			t.Fatal(err)
		}
		old, _ := repository.NewCrudRepository[itemV1, int](c)
		if _, err := old.Create(ctx, itemV1{Name: "kept"}); err != nil {
			t.Fatal(err)
		}
		for range 2 { // a second migration changes nothing
			if err := c.Migrate(ctx, modelOf[itemV2](t)); err != nil {
				t.Fatal(err)
			}
		}
		items, _ := repository.NewCrudRepository[itemV2, int](c)
		note := "new column"
		got, err := items.Create(ctx, itemV2{Name: "second", Note: &note})
		if err != nil {
			t.Fatal(err)
		}
		all, err := items.Find(ctx, nil)
		if err != nil || len(all) != 2 || all[0].Name != "kept" || all[0].Note != nil || *all[1].Note != note || got.ID != 2 {
			t.Fatalf("err %v, items %+v", err, all)
		}
	})
	t.Run("given rows, when rebuilt, then the table is empty", func(t *testing.T) {
		c := open(t)
		ctx := t.Context()
		m := modelOf[itemV1](t)
		items, _ := repository.NewCrudRepository[itemV1, int](c)
		if err := c.Migrate(ctx, m); err != nil {
			t.Fatal(err)
		}
		if _, err := items.Create(ctx, itemV1{Name: "gone"}); err != nil {
			t.Fatal(err)
		}
		if err := c.Rebuild(ctx, m); err != nil {
			t.Fatal(err)
		}
		if n, err := items.Count(ctx, nil); err != nil || n.Count != 0 {
			t.Fatalf("count %v, %v after rebuild", n, err)
		}
	})
	t.Run("given AutoMigrate, when a model is first used, then its table is created", func(t *testing.T) {
		c := open(t)
		c.opts.AutoMigrate = true
		items, _ := repository.NewCrudRepository[itemV1, int](c)
		if _, err := items.Create(t.Context(), itemV1{Name: "auto"}); err != nil {
			t.Fatal(err)
		}
	})
}

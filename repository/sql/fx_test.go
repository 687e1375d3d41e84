package sql

import (
	"context"
	"path/filepath"
	"testing"

	"go.uber.org/fx"

	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// TestDataSource: given a data source from a SQLite URL, when the
// application starts, then the connector is open for its repositories, and
// when it stops, the connector is closed.
func TestDataSource_opensAtStartAndClosesAtStop(t *testing.T) {
	var conn repository.Connector
	app := fx.New(
		fx.NopLogger,
		lifecycle.Module(),
		DataSource("db", "sqlite:"+filepath.Join(t.TempDir(), "app.db"), Options{AutoMigrate: true}),
		fx.Invoke(fx.Annotate(func(c repository.Connector) { conn = c }, fx.ParamTags(repository.DataSourceTag("db")))),
	)
	if err := app.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	todos, _ := repository.NewCrudRepository[repotest.Todo, int](conn)
	if _, err := todos.Create(t.Context(), repotest.Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := app.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if conn.(*Connector).DB() != nil {
		t.Fatal("the pool is still open after Stop")
	}
}

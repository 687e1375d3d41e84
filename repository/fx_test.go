package repository_test

import (
	"context"
	"testing"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

// recorder is a connector that records its life cycle.
type recorder struct {
	*memory.Connector
	name string
	log  *[]string
}

func (r *recorder) Start(ctx context.Context) error {
	*r.log = append(*r.log, "start "+r.name)
	return r.Connector.Start(ctx)
}

func (r *recorder) Stop(ctx context.Context) error {
	*r.log = append(*r.log, "stop "+r.name)
	return r.Connector.Stop(ctx)
}

type todoRepo struct {
	*repository.DefaultCrudRepository[Todo, int]
}

type todoRepoParams struct {
	fx.In
	DB repository.Connector `name:"datasources.db"`
}

func newTodoRepo(p todoRepoParams) (*todoRepo, error) {
	r, err := repository.NewCrudRepository[Todo, int](p.DB)
	return &todoRepo{r}, err
}

func TestDataSourcesAreNamedBindingsAndObservers(t *testing.T) {
	// given two data sources of one type and a repository asking for one
	var log []string
	var repo *todoRepo
	var geo *recorder
	app := fxtest.New(t,
		lifecycle.Module(),
		repository.DataSource("db", func() *recorder { return &recorder{memory.New(memory.Options{}), "db", &log} }),
		repository.DataSource("geocoder", func() *recorder { return &recorder{memory.New(memory.Options{}), "geocoder", &log} }),
		repository.Repository(newTodoRepo),
		lifecycle.RegisterValue(lifecycle.Hooks{
			OnStart: func(context.Context) error { log = append(log, "start server"); return nil },
			OnStop:  func(context.Context) error { log = append(log, "stop server"); return nil },
		}, "server"),
		fx.Invoke(func(r *todoRepo, g struct {
			fx.In
			G *recorder `name:"datasources.geocoder"`
		}) {
			repo, geo = r, g.G
		}),
	)

	// when the app starts, is used and stops
	app.RequireStart()
	if _, err := repo.Create(t.Context(), Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	app.RequireStop()

	// then the repository got db, and data sources started before the
	// server and stopped after it
	if geo == nil || geo.name != "geocoder" {
		t.Fatalf("geocoder: %+v", geo)
	}
	want := []string{"start db", "start geocoder", "start server", "stop server", "stop geocoder", "stop db"}
	if len(log) != len(want) {
		t.Fatalf("life cycle %v, want %v", log, want)
	}
	for i := range want {
		if log[i] != want[i] {
			t.Fatalf("life cycle %v, want %v", log, want)
		}
	}
}

func TestDataSourceRejectsANonConnector(t *testing.T) {
	app := fx.New(fx.NopLogger, repository.DataSource("db", func() int { return 1 }))
	if app.Err() == nil {
		t.Fatal("a constructor of int was accepted as a data source")
	}
}

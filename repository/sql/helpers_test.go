package sql

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// postgresEnv names the variable that points the PostgreSQL tests at a
// server; without it they skip.
const postgresEnv = "LOOM_TEST_POSTGRES_URL"

const postgresHowTo = postgresEnv + " is not set: to run the PostgreSQL tests, point it at a server, as in " +
	postgresEnv + "='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' go test -run Postgres ./repository/sql/ " +
	"(.ci/run starts a throw-away server and sets it)"

// startConnector opens url, starts the connector and stops it when the
// test ends.
func startConnector(tb testing.TB, url string, opts Options) *Connector {
	tb.Helper()
	c, err := Open(url, opts)
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Start(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := c.Stop(tb.Context()); err != nil {
			tb.Error(err)
		}
	})
	return c
}

// sqliteMemory is a connector over a private in-memory SQLite database.
func sqliteMemory(tb testing.TB, opts Options) *Connector {
	tb.Helper()
	return startConnector(tb, "sqlite::memory:", opts)
}

// sqliteFile is a connector over a SQLite file in the test's directory.
func sqliteFile(tb testing.TB, opts Options) *Connector {
	tb.Helper()
	return startConnector(tb, "sqlite:"+filepath.Join(tb.TempDir(), "db", "test.db"), opts)
}

// requirePostgres skips the test when no server is given.
func requirePostgres(tb testing.TB) {
	tb.Helper()
	if os.Getenv(postgresEnv) == "" {
		tb.Skip(postgresHowTo)
	}
}

// postgres is a connector over the server of LOOM_TEST_POSTGRES_URL, in a
// schema of its own that is dropped when the test ends.
func postgres(tb testing.TB, opts Options) *Connector {
	tb.Helper()
	return postgresAt(tb, os.Getenv(postgresEnv), opts)
}

// postgresAt is [postgres] over url, the test server's URL with
// parameters of the test's own.
func postgresAt(tb testing.TB, url string, opts Options) *Connector {
	tb.Helper()
	if os.Getenv(postgresEnv) == "" {
		tb.Skip(postgresHowTo)
	}
	opts.Schema = "loomtest_" + strings.ToLower(rand.Text()[:12])
	c, err := Open(url, opts)
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Start(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if _, err := c.DB().Exec("DROP SCHEMA IF EXISTS " + quote(opts.Schema) + " CASCADE"); err != nil {
			tb.Error(err)
		}
		if err := c.Stop(tb.Context()); err != nil {
			tb.Error(err)
		}
	})
	return c
}

// suiteModels are the models of package repotest.
func suiteModels(tb testing.TB) []*repository.Model {
	tb.Helper()
	todo, err := repository.ModelOf[repotest.Todo]()
	if err != nil {
		tb.Fatal(err)
	}
	note, err := repository.ModelOf[repotest.Note]()
	if err != nil {
		tb.Fatal(err)
	}
	shop, err := repository.ModelOf[repotest.Shop]()
	if err != nil {
		tb.Fatal(err)
	}
	return []*repository.Model{todo, note, shop}
}

// migrated is c with the suite's tables created.
func migrated(tb testing.TB, c *Connector) *Connector {
	tb.Helper()
	if err := c.Migrate(tb.Context(), suiteModels(tb)...); err != nil {
		tb.Fatal(err)
	}
	return c
}

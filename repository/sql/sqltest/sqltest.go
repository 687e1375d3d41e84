package sqltest

import (
	"crypto/rand"
	"database/sql"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver, to make and drop test schemas
)

// PostgresEnv is the environment variable that names the test server:
// postgres://user@host:port/db?sslmode=disable.
const PostgresEnv = "LOOM_TEST_POSTGRES_URL"

// PostgresURL returns the URL of PostgresEnv with its search_path set to a
// new schema (see [Schema]), dropped when the test ends. Without the
// variable, it skips the test, saying how to run it.
func PostgresURL(tb testing.TB, prefix string) string {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skip(PostgresEnv + " is not set: to run the PostgreSQL tests, point it at a server, as in " +
			PostgresEnv + "='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' go test ./... " +
			"(.ci/run starts a throw-away server and sets it)")
	}
	return WithSearchPath(base, Schema(tb, base, prefix))
}

// Schema creates a schema named prefix_<random> on the server url names
// and drops it, with all it holds, when the test ends.
func Schema(tb testing.TB, url, prefix string) string {
	tb.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		tb.Fatal(err)
	}
	schema := prefix + "_" + strings.ToLower(rand.Text()[:12])
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		defer db.Close()
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// WithSearchPath is url with its search_path set to schema.
func WithSearchPath(url, schema string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}

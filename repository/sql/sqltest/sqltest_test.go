package sqltest_test

import (
	"database/sql"
	"os"
	"testing"

	"github.com/loomhq/loom/repository/sql/sqltest"
)

func TestASchemaIsTheTestsOwnAndGoesWithIt(t *testing.T) {
	if os.Getenv(sqltest.PostgresEnv) == "" {
		t.Skip(sqltest.PostgresEnv + " is not set: point it at a PostgreSQL server to run this test")
	}
	var schema string
	t.Run("inner", func(t *testing.T) {
		url := sqltest.PostgresURL(t, "sqltest")
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.QueryRow("SELECT current_schema()").Scan(&schema); err != nil {
			t.Fatal(err)
		}
	})
	db, err := sql.Open("pgx", os.Getenv(sqltest.PostgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if schema == "" || n != 0 {
		t.Errorf("the test's schema %q is still there (%d) after it ended", schema, n)
	}
}

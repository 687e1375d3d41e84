package main

import (
	"testing"

	"github.com/loomhq/loom/repository/sql/sqltest"
)

const postgresEnv = sqltest.PostgresEnv

// postgresURL is a DATABASE_URL on the server of LOOM_TEST_POSTGRES_URL,
// in a schema of the test's own, dropped when the test ends. Without the
// variable, the test is skipped.
func postgresURL(t testing.TB) string {
	t.Helper()
	return sqltest.PostgresURL(t, "todotest")
}

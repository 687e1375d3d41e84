// Package sqltest gives a test a PostgreSQL schema of its own, so that
// tests on one server never see each other's tables or what an earlier
// run left behind.
//
// The server is the one LOOM_TEST_POSTGRES_URL names; without it,
// PostgresURL skips the test with a message saying how to run it:
//
//	func TestOnPostgres(t *testing.T) {
//		url := sqltest.PostgresURL(t, "shoptest")   // ...?search_path=shoptest_3kq9...
//		conn, err := sql.Open(url, sql.Options{})
//		...
//	}
package sqltest

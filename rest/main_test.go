package rest_test

import (
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaves a goroutine behind: a stopped server
// must take its goroutines with it. The client's idle keep-alive
// connections are closed first; they belong to the tests, not the server.
// Run with LOOM_TEST_CHILD_SERVER set, the binary is the SIGTERM test's
// server process instead.
func TestMain(m *testing.M) {
	if os.Getenv(childServerEnv) != "" {
		os.Exit(runChildServer())
	}
	code := m.Run()
	http.DefaultClient.CloseIdleConnections()
	if code == 0 {
		if err := noLeaks(goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
			goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop")); err != nil {
			fmt.Fprintln(os.Stderr, "goleak: Errors on successful test run:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// noLeaks asks goleak until only the ignored goroutines are left. A
// goroutine of a stopped server is on its way out, but on a loaded
// machine it may take longer than goleak's own half second of retries;
// a leaked one is still there 30 s later.
func noLeaks(opts ...goleak.Option) error {
	for end := time.Now().Add(30 * time.Second); ; {
		err := goleak.Find(opts...)
		if err == nil || time.Now().After(end) {
			return err
		}
	}
}

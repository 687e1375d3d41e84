package modelapi_test

import (
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaves a goroutine behind: a change stream
// must end with its client or its server, and take its watch with it.
func TestMain(m *testing.M) {
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

// noLeaks asks goleak until only the ignored goroutines are left: a
// stopped server's goroutines are on their way out, and on a loaded
// machine may take longer than goleak's own retries; a leaked one is still
// there 30 s later.
func noLeaks(opts ...goleak.Option) error {
	for end := time.Now().Add(30 * time.Second); ; {
		err := goleak.Find(opts...)
		if err == nil || time.Now().After(end) {
			return err
		}
	}
}

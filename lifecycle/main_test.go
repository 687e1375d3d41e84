package lifecycle_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaves a goroutine behind.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := noLeaks(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak: Errors on successful test run:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// noLeaks asks goleak until no goroutine is left. One on its way out may,
// on a loaded machine, take longer than goleak's own half second of
// retries; a leaked one is still there 30 s later.
func noLeaks(opts ...goleak.Option) error {
	for end := time.Now().Add(30 * time.Second); ; {
		err := goleak.Find(opts...)
		if err == nil || time.Now().After(end) {
			return err
		}
	}
}

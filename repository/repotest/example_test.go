package repotest_test

import (
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/repotest"
)

// A connector's test runs the suite with a fresh connector per test.
func ExampleRun() {
	_ = func(t *testing.T) {
		repotest.Run(t, func(t *testing.T) repository.Connector {
			return memory.New(memory.Options{})
		})
	}
}

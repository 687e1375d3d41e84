package memory_test

import (
	"path/filepath"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/repotest"
)

func TestSuiteInMemory(t *testing.T) {
	repotest.Run(t, func(t *testing.T) repository.Connector {
		return memory.New(memory.Options{})
	})
}

func TestSuiteWithFile(t *testing.T) {
	repotest.Run(t, func(t *testing.T) repository.Connector {
		c := memory.New(memory.Options{File: filepath.Join(t.TempDir(), "db.json")})
		if err := c.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := c.Stop(t.Context()); err != nil {
				t.Error(err)
			}
		})
		return c
	})
}

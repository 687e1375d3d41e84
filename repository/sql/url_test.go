package sql

import (
	"errors"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/repotest"
)

func TestOpen_theURLChoosesTheDialect(t *testing.T) {
	for url, want := range map[string]string{
		"sqlite:data/todo.db":            "sqlite",
		"sqlite:///tmp/todo.db":          "sqlite",
		"sqlite::memory:":                "sqlite",
		"postgres://u:p@localhost/db":    "postgres",
		"postgresql://localhost:5433/db": "postgres",
	} {
		c, err := Open(url, Options{})
		if err != nil || c.Dialect() != want {
			t.Errorf("Open(%q): %v, %v; want %s", url, c, err, want)
		}
	}
}

func TestOpen_aBadURLSaysWhatIsExpectedWithoutItsPassword(t *testing.T) {
	for _, url := range []string{"mysql://root:hunter2@db/x", "sqlite:", "hunter2"} {
		_, err := Open(url, Options{})
		if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "sqlite:") {
			t.Errorf("Open(%q): %v", url, err)
		}
	}
}

func TestFromURL_emptyOrMemoryIsTheMemoryConnector(t *testing.T) {
	for _, url := range []string{"", "memory:", "memory:data/db.json"} {
		c, err := FromURL(url, Options{})
		if _, ok := c.(*memory.Connector); !ok || err != nil {
			t.Errorf("FromURL(%q) = %T, %v", url, c, err)
		}
	}
	if c, err := FromURL("sqlite::memory:", Options{}); err != nil {
		t.Fatal(err)
	} else if _, ok := c.(*Connector); !ok {
		t.Fatalf("FromURL(sqlite::memory:) = %T", c)
	}
}

func TestConnector_beforeStartOperationsFailWithErrNotStarted(t *testing.T) {
	c, err := Open("sqlite::memory:", Options{})
	if err != nil {
		t.Fatal(err)
	}
	todos, _ := repository.NewCrudRepository[repotest.Todo, int](c)
	if _, err := todos.Find(t.Context(), nil); !errors.Is(err, ErrNotStarted) {
		t.Fatalf("got %v", err)
	}
}

func TestMigrate_theMemoryConnectorNeedsNothing(t *testing.T) {
	if err := Migrate(t.Context(), memory.New(memory.Options{}), suiteModels(t)...); err != nil {
		t.Fatal(err)
	}
}

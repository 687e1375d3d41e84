package memory_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

type Todo struct {
	ID         int     `json:"id,omitempty" loom:"id,generated"`
	Title      string  `json:"title" validate:"required"`
	Desc       *string `json:"desc,omitempty"`
	IsComplete *bool   `json:"isComplete,omitempty"`
}

func copyFixture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/db.json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "db.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func openTodos(t *testing.T, path string) (*memory.Connector, *repository.DefaultCrudRepository[Todo, int]) {
	t.Helper()
	c := memory.New(memory.Options{File: path})
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	repo, err := repository.NewCrudRepository[Todo, int](c)
	if err != nil {
		t.Fatal(err)
	}
	return c, repo
}

func TestLoopBackDBFileLoadsAndTheNextIDIsFive(t *testing.T) {
	// given LoopBack's example data/db.json: four todos, ids.Todo 5
	_, repo := openTodos(t, copyFixture(t))

	// when the todos are listed and one is created
	all, err := repo.Find(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	created, err := repo.Create(t.Context(), Todo{Title: "a"})
	if err != nil {
		t.Fatal(err)
	}

	// then the four load, in id order, and the new one gets id 5
	if len(all) != 4 || all[0].Title != "Take over the galaxy" || all[3].Title != "crush rebels" {
		t.Fatalf("loaded %+v", all)
	}
	if created.ID != 5 {
		t.Fatalf("next id %d, want 5", created.ID)
	}
}

func TestFileIsRewrittenInLoopBackLayout(t *testing.T) {
	// given the example file
	path := copyFixture(t)
	_, repo := openTodos(t, path)

	// when a todo is created and another deleted
	if _, err := repo.Create(t.Context(), Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := repo.DeleteByID(t.Context(), 2); err != nil {
		t.Fatal(err)
	}

	// then the file holds ids.Todo 6 and each entity as a JSON string
	var f struct {
		IDs    map[string]int               `json:"ids"`
		Models map[string]map[string]string `json:"models"`
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if f.IDs["Todo"] != 6 || len(f.Models["Todo"]) != 4 || f.Models["Todo"]["5"] != `{"id":5,"title":"a"}` {
		t.Fatalf("file: %s", b)
	}
	if _, ok := f.Models["Todo"]["2"]; ok {
		t.Fatal("deleted todo 2 still in the file")
	}
}

func TestDataSurvivesARestart(t *testing.T) {
	// given a store with a patched todo, stopped
	path := filepath.Join(t.TempDir(), "db.json")
	c, repo := openTodos(t, path)
	a, err := repo.Create(t.Context(), Todo{Title: "a", Desc: new("d")})
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.UpdateByID(t.Context(), a.ID, repository.PatchOf[Todo](map[string]any{"isComplete": false})); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}

	// when it is opened again
	_, repo = openTodos(t, path)
	got, err := repo.FindByID(t.Context(), a.ID, nil)

	// then the todo is as it was left, and the sequence goes on
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(got); string(b) != `{"id":1,"title":"a","desc":"d","isComplete":false}` {
		t.Fatalf("after restart: %s", b)
	}
	if n, _ := repo.Create(t.Context(), Todo{Title: "b"}); n == nil || n.ID != 2 {
		t.Fatalf("next id after restart: %+v", n)
	}
}

func TestACorruptFileFailsStartNamingTheFile(t *testing.T) {
	// given a file that is not JSON
	path := filepath.Join(t.TempDir(), "db.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}

	// when the connector starts
	err := memory.New(memory.Options{File: path}).Start(t.Context())

	// then it fails, naming the file
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("got %v", err)
	}
}

func TestAFailedWriteLeavesMemoryAsTheFile(t *testing.T) {
	// given a store whose directory becomes unwritable
	if os.Getuid() == 0 {
		t.Skip("root writes anywhere")
	}
	dir := t.TempDir()
	_, repo := openTodos(t, filepath.Join(dir, "db.json"))
	if _, err := repo.Create(t.Context(), Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })

	// when a create cannot be written
	_, err := repo.Create(t.Context(), Todo{Title: "b"})

	// then it fails and is not visible in memory either
	if err == nil {
		t.Fatal("create succeeded in a read-only directory")
	}
	if n, _ := repo.Count(t.Context(), nil); n.Count != 1 {
		t.Fatalf("count %d after a failed write, want 1", n.Count)
	}
}

func TestSavingKeepsTheFilesMode(t *testing.T) {
	// given a data file readable by its group only
	path := filepath.Join(t.TempDir(), "db.json")
	if err := os.WriteFile(path, []byte(`{"ids":{},"models":{}}`), 0o640); err != nil {
		t.Fatal(err)
	}
	_, repo := openTodos(t, path)

	// when a todo is saved
	if _, err := repo.Create(t.Context(), Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}

	// then the rewritten file has the same mode
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
}

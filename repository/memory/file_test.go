package memory_test

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

func TestStopRewritesTheFileInLoopBackLayout(t *testing.T) {
	// given the example file
	path := copyFixture(t)
	c, repo := openTodos(t, path)

	// when a todo is created and another deleted, and the store stops
	if _, err := repo.Create(t.Context(), Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := repo.DeleteByID(t.Context(), 2); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(t.Context()); err != nil {
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
	// and the file alone holds the store: the journal is gone
	if _, err := os.Stat(path + memory.JournalSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("journal after stop: %v", err)
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

// dirFiles is the text of each file in dir, by name.
func dirFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

func TestAFailedWriteLeavesMemoryAsTheFiles(t *testing.T) {
	// given a store with one todo on disk
	dir := t.TempDir()
	path := filepath.Join(dir, "db.json")
	_, repo := openTodos(t, path)
	if _, err := repo.Create(t.Context(), Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	before := dirFiles(t, dir)

	// when a create cannot be written, the disk full halfway through (a
	// seam, not file modes: root, as in CI, writes anywhere)
	restore := memory.FailWrites(t, syscall.ENOSPC)
	_, err := repo.Create(t.Context(), Todo{Title: "b"})

	// then it fails, naming the journal and the cause,
	if err == nil || !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), path+memory.JournalSuffix) {
		t.Fatalf("create on a full disk: %v", err)
	}
	// it is not visible in memory either,
	if n, _ := repo.Count(t.Context(), nil); n.Count != 1 {
		t.Fatalf("count %d after a failed write, want 1", n.Count)
	}
	var notFound *repository.EntityNotFoundError
	if _, err := repo.FindByID(t.Context(), 2, nil); !errors.As(err, &notFound) {
		t.Fatalf("find the unwritten todo: %v", err)
	}
	// the files are as they were: the half record was taken back,
	if after := dirFiles(t, dir); !maps.Equal(after, before) {
		t.Errorf("the files changed:\n%q\nwere:\n%q", after, before)
	}
	// and once the disk has room, the next create takes the id the failed
	// one did not keep.
	restore()
	if b, err := repo.Create(t.Context(), Todo{Title: "b"}); err != nil || b.ID != 2 {
		t.Fatalf("create after the disk has room: %+v, %v", b, err)
	}
}

func TestSavingKeepsTheFilesMode(t *testing.T) {
	// given a data file readable by its group only
	path := filepath.Join(t.TempDir(), "db.json")
	if err := os.WriteFile(path, []byte(`{"ids":{},"models":{}}`), 0o640); err != nil {
		t.Fatal(err)
	}
	c, repo := openTodos(t, path)

	// when a todo is saved, to the journal, then to the file at stop
	if _, err := repo.Create(t.Context(), Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	journal, err := os.Stat(path + memory.JournalSuffix)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}

	// then the journal and the rewritten file have the same mode
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 || journal.Mode().Perm() != 0o640 {
		t.Errorf("file mode %v, journal %v, want 0640", fi.Mode().Perm(), journal.Mode().Perm())
	}
}

// Oddly is a model whose name JSON must escape.
type Oddly struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Note string `json:"note"`
}

func (Oddly) ModelName() string { return "Odd\x00\"ly\u2028" }

func TestTheFileIsJSONWhateverItsNamesHold(t *testing.T) {
	// given a file whose todo has properties named with a NUL, U+2028 and
	// quotes, which LoopBack's juggler keeps as they are,
	path := filepath.Join(t.TempDir(), "db.json")
	entity, _ := json.Marshal(`{"id":1,"title":"a","nul\u0000":1,"sep\u2028":2,"q\"uote":3}`)
	file := `{"ids":{"Todo":2},"models":{"Todo":{"1":` + string(entity) + `}}}`
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	// when it loads, the todo is read, and a model whose name holds the
	// same characters is written beside it,
	c, repo := openTodos(t, path)
	if got, err := repo.FindByID(t.Context(), 1, nil); err != nil || got.Title != "a" {
		t.Fatalf("find the todo: %+v, %v", got, err)
	}
	odd, err := repository.NewCrudRepository[Oddly, int](c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := odd.Create(t.Context(), Oddly{Note: "n"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	// then the file is JSON,
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		IDs    map[string]int               `json:"ids"`
		Models map[string]map[string]string `json:"models"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("the file is not JSON (%v):\n%s", err, b)
	}
	// holding the names as they were,
	if f.IDs["Odd\x00\"ly\u2028"] != 2 || len(f.Models["Odd\x00\"ly\u2028"]) != 1 {
		t.Errorf("the odd model is not under its name: %v", f.IDs)
	}
	var todo map[string]any
	if err := json.Unmarshal([]byte(f.Models["Todo"]["1"]), &todo); err != nil ||
		todo["nul\x00"] != 1.0 || todo["sep\u2028"] != 2.0 || todo["q\"uote"] != 3.0 {
		t.Errorf("the todo is written as %q (%v)", f.Models["Todo"]["1"], err)
	}
	// and it loads again.
	c, _ = openTodos(t, path)
	odd, _ = repository.NewCrudRepository[Oddly, int](c)
	if got, err := odd.FindByID(t.Context(), 1, nil); err != nil || got.Note != "n" {
		t.Errorf("after a restart: %+v, %v", got, err)
	}
}

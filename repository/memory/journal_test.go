package memory_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

// crashedWith leaves a store on path holding the todos titled titles, one
// journal record each, as a process killed after writing them leaves it:
// not stopped.
func crashedWith(t *testing.T, path string, titles ...string) {
	t.Helper()
	_, repo := openTodos(t, path)
	for _, title := range titles {
		if _, err := repo.Create(t.Context(), Todo{Title: title}); err != nil {
			t.Fatal(err)
		}
	}
}

func titles(t *testing.T, repo *repository.DefaultCrudRepository[Todo, int]) string {
	t.Helper()
	all, err := repo.Find(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, td := range all {
		s = append(s, td.Title)
	}
	return strings.Join(s, ",")
}

func TestATornJournalTailLoadsEveryCompleteRecord(t *testing.T) {
	for name, tear := range map[string]func([]byte) []byte{
		"cut in the last record": func(b []byte) []byte { return b[:len(b)-5] },
		"cut in the last header": func(b []byte) []byte { return b[:len(b)-len(`{"id":3,"title":"c"}`)-12] },
		"zeros past the end":     func(b []byte) []byte { return append(b, make([]byte, 4096)...) },
		"last record garbled":    func(b []byte) []byte { b[len(b)-3] ^= 0xff; return b },
	} {
		t.Run(name, func(t *testing.T) {
			// given a store killed after three acknowledged creates, its
			// journal's tail torn as a crash in the middle of an append
			// leaves it
			path := filepath.Join(t.TempDir(), "db.json")
			crashedWith(t, path, "a", "b", "c")
			b, err := os.ReadFile(path + memory.JournalSuffix)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path+memory.JournalSuffix, tear(b), 0o644); err != nil {
				t.Fatal(err)
			}

			// when it starts again
			_, repo := openTodos(t, path)

			// then every complete record is loaded, and the torn one is not
			want := "a,b"
			if name == "zeros past the end" {
				want = "a,b,c"
			}
			if got := titles(t, repo); got != want {
				t.Fatalf("loaded %q, want %q", got, want)
			}
			// and the next write and start go on from there
			if _, err := repo.Create(t.Context(), Todo{Title: "d"}); err != nil {
				t.Fatal(err)
			}
			if _, repo := openTodos(t, path); titles(t, repo) != want+",d" {
				t.Fatalf("after another start: %q", titles(t, repo))
			}
		})
	}
}

func TestADamagedRecordBeforeOthersFailsStartNamingTheJournal(t *testing.T) {
	// given a killed store whose journal's first record is damaged, with
	// good records after it
	path := filepath.Join(t.TempDir(), "db.json")
	crashedWith(t, path, "a", "b", "c")
	b, err := os.ReadFile(path + memory.JournalSuffix)
	if err != nil {
		t.Fatal(err)
	}
	b[10] ^= 0xff
	if err := os.WriteFile(path+memory.JournalSuffix, b, 0o644); err != nil {
		t.Fatal(err)
	}

	// when it starts
	err = memory.New(memory.Options{File: path}).Start(t.Context())

	// then it refuses, naming the journal and where it is damaged
	if err == nil || !strings.Contains(err.Error(), path+memory.JournalSuffix) || !strings.Contains(err.Error(), "offset 0") {
		t.Fatalf("got %v", err)
	}
}

func TestACompactionWritesTheFileInLoopBackLayoutAndEmptiesTheJournal(t *testing.T) {
	// given a store whose journal is compacted past a few bytes
	path := filepath.Join(t.TempDir(), "db.json")
	c := memory.New(memory.Options{File: path, JournalCompactAt: 1})
	repo, err := repository.NewCrudRepository[Todo, int](c)
	if err != nil {
		t.Fatal(err)
	}

	// when a write passes the threshold and its compaction ends
	if _, err := repo.Create(t.Context(), Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := memory.WaitCompaction(c); err != nil {
		t.Fatal(err)
	}

	// then the file holds the write, in LoopBack's layout, and no journal
	// is left
	var f struct {
		IDs    map[string]int               `json:"ids"`
		Models map[string]map[string]string `json:"models"`
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &f); err != nil || f.IDs["Todo"] != 2 || f.Models["Todo"]["1"] != `{"id":1,"title":"a"}` {
		t.Fatalf("file (%v): %s", err, b)
	}
	if matches, _ := filepath.Glob(path + memory.JournalSuffix + "*"); len(matches) > 0 {
		t.Fatalf("journals left: %v", matches)
	}
	// and the next writes go to a new journal, read at the next start
	if _, err := repo.Create(t.Context(), Todo{Title: "b"}); err != nil {
		t.Fatal(err)
	}
	if err := memory.WaitCompaction(c); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Create(t.Context(), Todo{Title: "c"}); err != nil {
		t.Fatal(err)
	}
	if _, repo := openTodos(t, path); titles(t, repo) != "a,b,c" {
		t.Fatalf("after a start: %q", titles(t, repo))
	}
}

func TestAJournalReplayedOnAFileThatHoldsItChangesNothing(t *testing.T) {
	// given a journal of a create and two updates, kept aside
	path := filepath.Join(t.TempDir(), "db.json")
	c, repo := openTodos(t, path)
	a, err := repo.Create(t.Context(), Todo{Title: "a"})
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"a2", "a3"} {
		if err := repo.UpdateByID(t.Context(), a.ID, repository.PatchOf[Todo](map[string]any{"title": title})); err != nil {
			t.Fatal(err)
		}
	}
	old, err := os.ReadFile(path + memory.JournalSuffix)
	if err != nil {
		t.Fatal(err)
	}
	// folded into the file by a stop, then written on: a4, and b deleted
	if err := c.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, repo = openTodos(t, path)
	if _, err := repo.Create(t.Context(), Todo{Title: "b"}); err != nil {
		t.Fatal(err)
	}
	if err := repo.UpdateByID(t.Context(), a.ID, repository.PatchOf[Todo](map[string]any{"title": "a4"})); err != nil {
		t.Fatal(err)
	}
	if err := repo.DeleteByID(t.Context(), 2); err != nil {
		t.Fatal(err)
	}

	// when the old journal is found beside the file, as a crash after a
	// compaction wrote the file and before it removed the old journal
	// leaves it
	if err := os.WriteFile(path+memory.JournalSuffix+".old", old, 0o644); err != nil {
		t.Fatal(err)
	}
	_, repo = openTodos(t, path)

	// then both journals are replayed, the old first, and the store is
	// the last write's
	if got := titles(t, repo); got != "a4" {
		t.Fatalf("loaded %q, want a4", got)
	}
	if b, err := repo.Create(t.Context(), Todo{Title: "c"}); err != nil || b.ID != 3 {
		t.Fatalf("next create: %+v, %v; want id 3", b, err)
	}
}

func TestAFailedCompactionKeepsEveryWriteAndIsTriedAgain(t *testing.T) {
	// given a store compacting past a few bytes, on a disk full for the
	// file's rewrite
	path := filepath.Join(t.TempDir(), "db.json")
	c := memory.New(memory.Options{File: path, JournalCompactAt: 1})
	repo, err := repository.NewCrudRepository[Todo, int](c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Create(t.Context(), Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := memory.WaitCompaction(c); err != nil {
		t.Fatal(err)
	}
	restore := memory.FailRewrites(t, errors.New("no space left on device"))

	// when writes start compactions that fail
	for _, title := range []string{"b", "c"} {
		if _, err := repo.Create(t.Context(), Todo{Title: title}); err != nil {
			t.Fatalf("a write failed with its compaction: %v", err)
		}
		if err := memory.WaitCompaction(c); err == nil {
			t.Fatal("the compaction passed on a full disk")
		}
	}

	// then the writes wait in the journals, the one set aside for the
	// first compaction and the one written since,
	for _, p := range []string{path + memory.JournalSuffix + ".old", path + memory.JournalSuffix} {
		if _, err := os.Stat(p); err != nil {
			t.Fatal(err)
		}
	}
	// and once the disk has room, the next compaction folds them all in
	restore()
	if _, err := repo.Create(t.Context(), Todo{Title: "d"}); err != nil {
		t.Fatal(err)
	}
	if err := memory.WaitCompaction(c); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + memory.JournalSuffix + ".old"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("old journal after a compaction: %v", err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `\"d\"`) {
		t.Fatalf("file after a compaction: %s", b)
	}
	if _, repo := openTodos(t, path); titles(t, repo) != "a,b,c,d" {
		t.Fatalf("after a start: %q", titles(t, repo))
	}
}

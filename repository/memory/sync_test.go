package memory

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// syncRecord is one call of syncFile: what was synced, and what the
// store's file held at that moment.
type syncRecord struct {
	what   string // "temp file" or "directory"
	synced string // the synced file's text; empty for the directory
	file   string // the store's file's text
}

// recordSyncs makes syncFile record each call in *got and then answer
// with fail(what) or, when fail is nil or answers nil, really sync.
func recordSyncs(t *testing.T, path string, fail func(what string) error) *[]syncRecord {
	t.Helper()
	var got []syncRecord
	prev := syncFile
	t.Cleanup(func() { syncFile = prev })
	syncFile = func(f *os.File) error {
		r := syncRecord{what: "temp file"}
		if f.Name() == filepath.Dir(path) {
			r.what = "directory"
		} else {
			b, _ := os.ReadFile(f.Name())
			r.synced = string(b)
		}
		b, _ := os.ReadFile(path)
		r.file = string(b)
		got = append(got, r)
		if fail != nil {
			if err := fail(r.what); err != nil {
				return err
			}
		}
		return prev(f)
	}
	return &got
}

func startedOn(t *testing.T, path string) *Connector {
	t.Helper()
	c := New(Options{File: path})
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAWriteSyncsTheNewFileThenTheDirectoryBeforeItReturns(t *testing.T) {
	// given a store on a file, and every sync recorded
	path := filepath.Join(t.TempDir(), "db.json")
	repo := tasks(t, startedOn(t, path))
	got := recordSyncs(t, path, nil)

	// when a write returns
	if _, err := repo.Create(t.Context(), task{Title: "durable"}); err != nil {
		t.Fatal(err)
	}

	// then it synced the new text before the rename put it in place, then
	// the directory that holds the rename
	what := func(r syncRecord) string { return r.what }
	if w := slicesMap(*got, what); !slices.Equal(w, []string{"temp file", "directory"}) {
		t.Fatalf("synced %q, want the temp file then the directory", w)
	}
	first, second := (*got)[0], (*got)[1]
	if !strings.Contains(first.synced, "durable") || strings.Contains(first.file, "durable") {
		t.Errorf("temp file synced holding %q while the file held %q: want the new text synced before the rename", first.synced, first.file)
	}
	if !strings.Contains(second.file, "durable") {
		t.Errorf("directory synced while the file held %q: want it synced after the rename", second.file)
	}
}

func TestAFailedSyncOfTheNewFileFailsTheWriteAndKeepsTheOldFile(t *testing.T) {
	// given a store holding one task, whose next sync of a file fails
	dir := t.TempDir()
	path := filepath.Join(dir, "db.json")
	repo := tasks(t, startedOn(t, path))
	if _, err := repo.Create(t.Context(), task{Title: "kept"}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	ioErr := errors.New("input/output error")
	recordSyncs(t, path, func(what string) error {
		if what == "temp file" {
			return ioErr
		}
		return nil
	})

	// when a write is made
	_, err := repo.Create(t.Context(), task{Title: "lost"})

	// then it fails, the file is as it was, and no temporary file is left
	if !errors.Is(err, ioErr) || !strings.Contains(err.Error(), path) {
		t.Fatalf("got %v, want the sync's error naming %s", err, path)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("file changed to %q", after)
	}
	if n, _ := repo.Count(t.Context(), nil); n.Count != 1 {
		t.Errorf("count = %d, want 1: the failed write must not be seen", n.Count)
	}
	if tmps, _ := filepath.Glob(filepath.Join(dir, ".db.json.tmp-*")); len(tmps) > 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
}

func TestAFailedSyncOfTheDirectoryFailsTheWriteButKeepsItsChange(t *testing.T) {
	// given a store whose next directory sync fails
	path := filepath.Join(t.TempDir(), "db.json")
	repo := tasks(t, startedOn(t, path))
	ioErr := errors.New("input/output error")
	recordSyncs(t, path, func(what string) error {
		if what == "directory" {
			return ioErr
		}
		return nil
	})

	// when a write is made
	_, err := repo.Create(t.Context(), task{Title: "renamed"})

	// then the caller hears of it, but memory agrees with the file the
	// rename put in place
	if !errors.Is(err, ioErr) {
		t.Fatalf("got %v, want the directory sync's error", err)
	}
	b, _ := os.ReadFile(path)
	if n, _ := repo.Count(t.Context(), nil); n.Count != 1 || !strings.Contains(string(b), "renamed") {
		t.Errorf("count = %d, file %q: want the change in both", n.Count, b)
	}
}

func slicesMap[T, U any](s []T, f func(T) U) []U {
	out := make([]U, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}

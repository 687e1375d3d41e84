package memory

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// syncRecord is one call of syncFile or syncJournal: what was synced, and
// what the store's file held at that moment.
type syncRecord struct {
	what   string // "temp file", "directory" or "journal"
	synced string // the synced file's text; empty for the directory
	file   string // the store's file's text
}

// recordSyncs makes syncFile and syncJournal record each call in *got and
// then answer with fail(what) or, when fail is nil or answers nil, really
// sync.
func recordSyncs(t *testing.T, path string, fail func(what string) error) *[]syncRecord {
	t.Helper()
	var got []syncRecord
	record := func(what string, f *os.File, sync func(*os.File) error) error {
		r := syncRecord{what: what}
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
		return sync(f)
	}
	prevFile, prevJournal := syncFile, syncJournal
	t.Cleanup(func() { syncFile, syncJournal = prevFile, prevJournal })
	syncFile = func(f *os.File) error { return record("temp file", f, prevFile) }
	syncJournal = func(f *os.File) error { return record("journal", f, prevJournal) }
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

func syncedWhat(got []syncRecord) []string {
	return slicesMap(got, func(r syncRecord) string { return r.what })
}

func TestAWriteSyncsItsJournalRecordAndNotTheFileBeforeItReturns(t *testing.T) {
	// given a store on a file, with a journal already, and every sync
	// recorded
	path := filepath.Join(t.TempDir(), "db.json")
	repo := tasks(t, startedOn(t, path))
	if _, err := repo.Create(t.Context(), task{Title: "first"}); err != nil {
		t.Fatal(err)
	}
	got := recordSyncs(t, path, nil)

	// when a write returns
	if _, err := repo.Create(t.Context(), task{Title: "durable"}); err != nil {
		t.Fatal(err)
	}

	// then it synced the journal holding its record, and only that
	if w := syncedWhat(*got); !slices.Equal(w, []string{"journal"}) {
		t.Fatalf("synced %q, want the journal alone", w)
	}
	if r := (*got)[0]; !strings.Contains(r.synced, "durable") || strings.Contains(r.file, "durable") {
		t.Errorf("journal synced holding %q, file %q: want the record in the journal, the file untouched", r.synced, r.file)
	}
}

func TestTheFirstWriteSyncsTheDirectoryThatHoldsTheNewJournal(t *testing.T) {
	// given a store on a file, with no journal yet
	path := filepath.Join(t.TempDir(), "db.json")
	repo := tasks(t, startedOn(t, path))
	got := recordSyncs(t, path, nil)

	// when the first write returns
	if _, err := repo.Create(t.Context(), task{Title: "first"}); err != nil {
		t.Fatal(err)
	}

	// then the journal's name was synced before its record
	if w := syncedWhat(*got); !slices.Equal(w, []string{"directory", "journal"}) {
		t.Fatalf("synced %q, want the directory then the journal", w)
	}
}

func TestAFailedJournalSyncFailsTheWriteAndTakesItsRecordBack(t *testing.T) {
	// given a store holding one task, whose next journal sync fails
	dir := t.TempDir()
	path := filepath.Join(dir, "db.json")
	repo := tasks(t, startedOn(t, path))
	if _, err := repo.Create(t.Context(), task{Title: "kept"}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path + journalSuffix)
	ioErr := errors.New("input/output error")
	failed := false
	recordSyncs(t, path, func(what string) error {
		if what == "journal" && !failed {
			failed = true
			return ioErr
		}
		return nil
	})

	// when a write is made
	_, err := repo.Create(t.Context(), task{Title: "lost"})

	// then it fails naming the journal, is not seen, and its record is
	// taken back: a restart does not replay it
	if !errors.Is(err, ioErr) || !strings.Contains(err.Error(), path+journalSuffix) {
		t.Fatalf("got %v, want the sync's error naming %s", err, path+journalSuffix)
	}
	if after, _ := os.ReadFile(path + journalSuffix); string(after) != string(before) {
		t.Errorf("journal changed to %q, was %q", after, before)
	}
	if n, _ := repo.Count(t.Context(), nil); n.Count != 1 {
		t.Errorf("count = %d, want 1: the failed write must not be seen", n.Count)
	}
	// and the next write goes on after the acknowledged ones
	if _, err := repo.Create(t.Context(), task{Title: "next"}); err != nil {
		t.Fatal(err)
	}
	all, err := tasks(t, startedOn(t, path)).Find(t.Context(), nil)
	if err != nil || len(all) != 2 || all[0].Title != "kept" || all[1].Title != "next" || all[1].ID != 2 {
		t.Fatalf("after a restart: %+v, %v", all, err)
	}
}

func TestStopSyncsTheNewFileThenTheDirectoryThenDropsTheJournal(t *testing.T) {
	// given a store with a write in its journal, and every sync recorded
	path := filepath.Join(t.TempDir(), "db.json")
	c := startedOn(t, path)
	if _, err := tasks(t, c).Create(t.Context(), task{Title: "durable"}); err != nil {
		t.Fatal(err)
	}
	got := recordSyncs(t, path, nil)

	// when the store stops
	if err := c.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}

	// then it synced the new text before the rename put it in place, then
	// the directory that holds the rename, then the directory without the
	// journal
	if w := syncedWhat(*got); !slices.Equal(w, []string{"temp file", "directory", "directory"}) {
		t.Fatalf("synced %q, want the temp file then the directory, twice", w)
	}
	first, second := (*got)[0], (*got)[1]
	if !strings.Contains(first.synced, "durable") || strings.Contains(first.file, "durable") {
		t.Errorf("temp file synced holding %q while the file held %q: want the new text synced before the rename", first.synced, first.file)
	}
	if !strings.Contains(second.file, "durable") {
		t.Errorf("directory synced while the file held %q: want it synced after the rename", second.file)
	}
	if _, err := os.Stat(path + journalSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("journal left after stop: %v", err)
	}
}

func TestAStopThatCannotWriteTheFileKeepsTheJournal(t *testing.T) {
	for _, failing := range []string{"temp file", "directory"} {
		t.Run(failing, func(t *testing.T) {
			// given a store with a write in its journal, whose next sync
			// of the new file or of the directory fails
			dir := t.TempDir()
			path := filepath.Join(dir, "db.json")
			c := startedOn(t, path)
			if _, err := tasks(t, c).Create(t.Context(), task{Title: "kept"}); err != nil {
				t.Fatal(err)
			}
			ioErr := errors.New("input/output error")
			recordSyncs(t, path, func(what string) error {
				if what == failing {
					return ioErr
				}
				return nil
			})

			// when the store stops
			err := c.Stop(t.Context())

			// then Stop fails, no temporary file is left, and the journal
			// still holds the write for the next start
			if !errors.Is(err, ioErr) {
				t.Fatalf("got %v, want the sync's error", err)
			}
			if tmps, _ := filepath.Glob(filepath.Join(dir, ".db.json.tmp-*")); len(tmps) > 0 {
				t.Errorf("temporary files left: %v", tmps)
			}
			if b, _ := os.ReadFile(path + journalSuffix); !strings.Contains(string(b), "kept") {
				t.Errorf("journal %q, want the write in it", b)
			}
		})
	}
}

func slicesMap[T, U any](s []T, f func(T) U) []U {
	out := make([]U, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}

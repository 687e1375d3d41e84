package memory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// dbFile is LoopBack's db.json: the next id of each model, and each
// model's entities by id, every entity a JSON object written as a string.
//
//	{"ids":{"Todo":5},"models":{"Todo":{"1":"{\"title\":\"Take over the galaxy\",\"id\":1}"}}}
type dbFile struct {
	IDs    map[string]int64             `json:"ids"`
	Models map[string]map[string]string `json:"models"`
}

// readFile loads path; a missing or empty file is an empty store.
func readFile(path string) (*dbFile, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(bytes.TrimSpace(b)) == 0 {
		return &dbFile{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("memory: reading %s: %w", path, err)
	}
	var f dbFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("memory: %s is not a LoopBack db.json file: %w", path, err)
	}
	return &f, nil
}

// encodeFile writes a store in db.json's layout, models and ids sorted:
// the next ids, and each model's rows in id order.
func encodeFile(ids map[string]int64, rows map[string][]*row) []byte {
	var b bytes.Buffer
	b.WriteString("{\n  \"ids\": {")
	names := slices.Sorted(maps.Keys(ids))
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		writeJSONString(&b, n)
		b.WriteString(": ")
		b.WriteString(strconv.FormatInt(ids[n], 10))
	}
	b.WriteString("\n  },\n  \"models\": {")
	names = slices.Sorted(maps.Keys(rows))
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		writeJSONString(&b, n)
		b.WriteString(": {")
		for j, r := range rows[n] {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString("\n      ")
			writeJSONString(&b, r.key)
			b.WriteString(": ")
			writeJSONString(&b, string(r.text))
		}
		b.WriteString("\n    }")
	}
	b.WriteString("\n  }\n}\n")
	return b.Bytes()
}

// writeJSONString writes s as a JSON string, as encoding/json does:
// strconv.Quote writes Go, not JSON (a NUL as \x00, invalid UTF-8 as \xff).
func writeJSONString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s) // a string always encodes
	b.Write(enc)
}

// removeStaleTemps removes the temporary files of writes a crash
// interrupted; they never hold the only copy of anything.
func removeStaleTemps(path string) {
	stale, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*"))
	for _, f := range stale {
		os.Remove(f)
	}
}

// syncFile flushes f, a file or a directory, to stable storage. Tests
// replace it to see what a write syncs and in which order.
var syncFile = (*os.File).Sync

// writeTemp writes the store's new text to its temporary file. Tests
// replace it to make a write fail, as a full disk would.
var writeTemp = (*os.File).Write

// writeAtomic replaces path with data so that a crash at any moment
// leaves either the old or the new file: write a temporary file in the
// same directory, fsync it, rename it over path, fsync the directory.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("memory: writing %s: %w", path, err)
	}
	name := tmp.Name()
	fail := func(err error) error {
		tmp.Close()
		os.Remove(name)
		return fmt.Errorf("memory: writing %s: %w", path, err)
	}
	// CreateTemp makes the file 0600; keep the mode the file had (0644 for
	// a new one), so that saving does not change who may read it.
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail(err)
	}
	if _, err := writeTemp(tmp, data); err != nil {
		return fail(err)
	}
	if err := syncFile(tmp); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return fmt.Errorf("memory: writing %s: %w", path, err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return &dirSyncError{fmt.Errorf("memory: syncing %s: %w", dir, err)}
	}
	defer d.Close()
	if err := syncFile(d); err != nil {
		return &dirSyncError{fmt.Errorf("memory: syncing %s: %w", dir, err)}
	}
	return nil
}

// dirSyncError is a failure after the rename: the new file is in place
// and will be read at the next start, but may not survive a power cut,
// so the journals it folded in are kept.
type dirSyncError struct{ err error }

func (e *dirSyncError) Error() string { return e.err.Error() }
func (e *dirSyncError) Unwrap() error { return e.err }

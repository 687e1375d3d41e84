package memory

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
)

// commit appends the write u made to t to the journal, synced, and starts
// a compaction when the journal has grown past its threshold. c.mu must
// be held.
func (c *Connector) commit(model string, t *table, u *undo) error {
	if c.opts.File == "" {
		return nil
	}
	if c.j == nil {
		j, err := openJournal(c.opts.File+journalSuffix, fileMode(c.opts.File))
		if err != nil {
			return err
		}
		c.j = j
	}
	next, hasNext := c.ids[model]
	c.rec = appendRecord(c.rec[:0], model, next, hasNext, t, u.log)
	var err error
	if len(c.rec)-recordHeader > math.MaxUint32 {
		err = fmt.Errorf("memory: writing %s: a write of %d bytes does not fit a journal record", c.j.path, len(c.rec))
	} else {
		err = c.journalWrite(c.j, c.rec)
	}
	if cap(c.rec) > 1<<20 {
		c.rec = nil // a big write's buffer is not kept for the small ones
	}
	if err != nil {
		return err
	}
	if c.j.size >= max(c.compactAt(), c.retryAt) && c.compactMu.TryLock() {
		go c.compactInBackground()
	}
	return nil
}

// compactAt is the journal size that starts a compaction.
func (c *Connector) compactAt() int64 {
	if c.opts.JournalCompactAt > 0 {
		return c.opts.JournalCompactAt
	}
	return max(defaultCompactAt, c.fileSize.Load())
}

// compactInBackground folds the journal into the file. It holds
// c.compactMu, taken by the write that started it, and c.mu only to take
// its snapshot: writes and reads go on while the file is written.
//
// The order keeps every write on disk at every moment: the journal is
// renamed aside (db.json.journal.old) and writes go to a new one; the
// file is rewritten atomically with everything up to the rename; then
// the old journal is removed. A crash in between replays the old journal
// on the new file, which changes nothing: records hold absolute values.
func (c *Connector) compactInBackground() {
	defer c.compactMu.Unlock()
	c.mu.Lock()
	ids := maps.Clone(c.ids)
	rows := c.currentRows() // published rows: never changed, safe without c.mu
	err := c.rotate()
	c.mu.Unlock()
	if err == nil {
		err = c.rewrite(ids, rows)
	}
	if err == nil {
		err = removeJournal(c.opts.File + oldJournalSuffix)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.compactErr = err
	c.retryAt = 0
	if err != nil && c.j != nil {
		c.retryAt = c.j.size + c.compactAt() // not at every write while the disk is full
	}
}

// rotate moves the journal aside for a compaction, unless an earlier
// compaction that failed left one there: then the journal stays, its
// records replayed after the old one's, and the compaction folds both
// into the file. c.mu must be held.
func (c *Connector) rotate() error {
	old := c.opts.File + oldJournalSuffix
	if _, err := os.Lstat(old); !errors.Is(err, fs.ErrNotExist) {
		return err // there (nil: keep both), or unknown: never rename over it
	}
	if c.j != nil {
		c.j.close()
		c.j = nil
	}
	err := os.Rename(c.opts.File+journalSuffix, old)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// rewrite replaces the file with the given store, atomically.
func (c *Connector) rewrite(ids map[string]int64, rows map[string][]*row) error {
	data := encodeFile(ids, rows)
	if err := c.writeFile(c.opts.File, data); err != nil {
		return err
	}
	c.fileSize.Store(int64(len(data)))
	return nil
}

// currentRows is every model's rows as the last write published them.
// c.mu must be held.
func (c *Connector) currentRows() map[string][]*row {
	rows := make(map[string][]*row, len(c.tables))
	for name, t := range c.tables {
		rows[name] = t.published().rows
	}
	return rows
}

// dropJournals removes the journals once the file holds all they held.
// c.mu must be held.
func (c *Connector) dropJournals() error {
	if c.j != nil {
		c.j.close()
		c.j = nil
	}
	for _, p := range []string{c.opts.File + journalSuffix, c.opts.File + oldJournalSuffix} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return syncDir(filepath.Dir(c.opts.File))
}

// removeJournal removes a journal the file now holds, and syncs the
// directory: a removed journal that came back after a power cut would be
// replayed over later writes.
func removeJournal(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// replayJournals applies to f the records of the old journal, then of the
// journal, and reports whether there were any, or a torn tail.
func replayJournals(file string, f *dbFile) (bool, error) {
	replayed := false
	for _, p := range []string{file + oldJournalSuffix, file + journalSuffix} {
		changes, good, err := readJournal(p)
		if err != nil {
			return false, err
		}
		for _, ch := range changes {
			ch.apply(f)
		}
		if fi, err := os.Stat(p); err == nil && (len(changes) > 0 || fi.Size() != good) {
			replayed = true
		}
	}
	return replayed, nil
}

// fileMode is the mode the file has, 0644 when it has none yet: the
// journal holds the same data, so it gets the same readers.
func fileMode(path string) fs.FileMode {
	if fi, err := os.Stat(path); err == nil {
		return fi.Mode().Perm()
	}
	return 0o644
}

package memory

import (
	"os"
	"testing"
)

// FailWrites makes every write of the store's new text, and every append
// to its journal, stop halfway with err, as a disk that fills up would,
// until restore is called or the test ends.
func FailWrites(t testing.TB, err error) (restore func()) {
	prevTemp, prevJournal := writeTemp, writeJournal
	restore = func() { writeTemp, writeJournal = prevTemp, prevJournal }
	t.Cleanup(restore)
	half := func(prev func(*os.File, []byte) (int, error)) func(*os.File, []byte) (int, error) {
		return func(f *os.File, data []byte) (int, error) {
			n, _ := prev(f, data[:len(data)/2])
			return n, err
		}
	}
	writeTemp, writeJournal = half(prevTemp), half(prevJournal)
	return restore
}

// WaitCompaction returns once the compaction a write started, if any, has
// ended, and reports its failure.
func WaitCompaction(c *Connector) error {
	c.compactMu.Lock()
	defer c.compactMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.compactErr
}

// JournalSuffix is what the journal's name adds to the file's.
const JournalSuffix = journalSuffix

// FailRewrites makes every rewrite of the file fail with err, until
// restore is called or the test ends; journal appends go on.
func FailRewrites(t testing.TB, err error) (restore func()) {
	prev := writeTemp
	restore = func() { writeTemp = prev }
	t.Cleanup(restore)
	writeTemp = func(*os.File, []byte) (int, error) { return 0, err }
	return restore
}

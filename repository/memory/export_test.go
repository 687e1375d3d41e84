package memory

import (
	"os"
	"testing"
)

// FailWrites makes every write of the store's new text stop halfway with
// err, as a disk that fills up would, until restore is called or the test
// ends.
func FailWrites(t testing.TB, err error) (restore func()) {
	prev := writeTemp
	restore = func() { writeTemp = prev }
	t.Cleanup(restore)
	writeTemp = func(f *os.File, data []byte) (int, error) {
		n, _ := prev(f, data[:len(data)/2])
		return n, err
	}
	return restore
}

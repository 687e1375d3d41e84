package memory

import (
	"os"

	"golang.org/x/sys/unix"
)

// fdatasync flushes f's data, and its size, without its other metadata.
func fdatasync(f *os.File) error {
	for {
		err := unix.Fdatasync(int(f.Fd()))
		if err != unix.EINTR {
			return err
		}
	}
}

//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package callbacks

import (
	"os"

	"golang.org/x/sys/unix"
)

// IsTerminal reports whether f is a terminal (its terminal attributes can
// be read). Fit uses it to choose Keras's verbose 1 (live bar) for a
// terminal and verbose 2 (one line per epoch) for files and pipes.
func IsTerminal(f *os.File) bool {
	if f == nil {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), ioctlReadTermios)
	return err == nil
}

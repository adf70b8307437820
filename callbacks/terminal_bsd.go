//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package callbacks

import "golang.org/x/sys/unix"

const ioctlReadTermios = unix.TIOCGETA

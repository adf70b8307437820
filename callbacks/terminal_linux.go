//go:build linux

package callbacks

import "golang.org/x/sys/unix"

const ioctlReadTermios = unix.TCGETS

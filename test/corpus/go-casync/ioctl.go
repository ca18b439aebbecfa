// Pattern: a package-private ioctl() wrapper and an unexported FICLONERANGE constant in one file of the package (modelled on github.com/folbricht/desync's reflink_linux.go, const fiCloneRange = 0x4020940d).
// zdio-category: go-package
//go:build linux

package casync

import "syscall"

// The clone-range request number; x/sys is not a dependency of this package.
const fiCloneRange = 0x4020940d

type fileCloneRange struct {
	srcFd      int64
	srcOffset  uint64
	srcLength  uint64
	destOffset uint64
}

func ioctl(fd, req, arg uintptr) error {
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, req, arg); errno != 0 {
		return errno
	}
	return nil
}

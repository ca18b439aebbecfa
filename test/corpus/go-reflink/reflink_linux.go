// Pattern: package functions that use the constants from const.go in raw SYS_IOCTL calls inside SyscallConn().Control closures, and a package-local ioctlPtr wrapper for FICLONERANGE (modelled on github.com/KarpelesLab/reflink's reflink_linux.go and x/sys/unix's ioctlPtr).
// zdio-category: go-package
//go:build linux

package reflink

import (
	"os"
	"syscall"
	"unsafe"
)

type fileCloneRange struct {
	srcFd      int64
	srcOffset  uint64
	srcLength  uint64
	destOffset uint64
}

func ioctlPtr(fd uintptr, req uint, arg unsafe.Pointer) error {
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, uintptr(req), uintptr(arg))
	if errno != 0 {
		return errno
	}
	return nil
}

// withRawFds runs fn with both raw descriptors held, so that neither file is closed meanwhile.
func withRawFds(dst, src *os.File, fn func(dfd, sfd uintptr) error) error {
	dconn, err := dst.SyscallConn()
	if err != nil {
		return err
	}
	sconn, err := src.SyscallConn()
	if err != nil {
		return err
	}
	var inner error
	ctlErr := dconn.Control(func(dfd uintptr) {
		if e := sconn.Control(func(sfd uintptr) { inner = fn(dfd, sfd) }); e != nil {
			inner = e
		}
	})
	if ctlErr != nil {
		return ctlErr
	}
	return inner
}

// cloneWhole shares every extent of src with dst; it reports the kernel's answer as is.
func cloneWhole(dst, src *os.File) error {
	return withRawFds(dst, src, func(dfd, sfd uintptr) error {
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, dfd, FICLONE, sfd); errno != 0 { // zdio-expect-site: ficlone
			return errno
		}
		return nil
	})
}

// PartialReflink clones n bytes at srcOffset of src to dstOffset of dst.
func PartialReflink(dst, src *os.File, dstOffset, srcOffset, n int64) error {
	r := fileCloneRange{
		srcFd:      int64(src.Fd()),
		srcOffset:  uint64(srcOffset),
		srcLength:  uint64(n),
		destOffset: uint64(dstOffset),
	}
	return ioctlPtr(dst.Fd(), FICLONERANGE, unsafe.Pointer(&r)) // zdio-expect-site: ficlone
}

// Pattern: package-local syscall numbers and raw Syscall/Syscall6 calls for copy_file_range and fcntl(F_SETFL, O_DIRECT), as a runtime-internal package does (modelled on Go's internal/syscall/unix/sysnum_linux_amd64.go and copy_file_range_unix.go).
// zdio-category: call-form
//go:build linux && amd64

package sysunix

import (
	"syscall"
	"unsafe"
)

const (
	copyFileRangeTrap uintptr = 326
	fcntlTrap         uintptr = 72
)

// CopyRange issues copy_file_range by number; nil offsets use the file positions.
func CopyRange(in int, inOff *int64, out int, outOff *int64, count int) (int, error) {
	done, _, errno := syscall.Syscall6(copyFileRangeTrap, // zdio-expect-site: copy_file_range
		uintptr(in), uintptr(unsafe.Pointer(inOff)),
		uintptr(out), uintptr(unsafe.Pointer(outOff)),
		uintptr(count), 0)
	if errno != 0 {
		return 0, errno
	}
	return int(done), nil
}

// SetDirect adds O_DIRECT to an open descriptor.
func SetDirect(fd int) error {
	flags, _, errno := syscall.Syscall(fcntlTrap, uintptr(fd), syscall.F_GETFL, 0)
	if errno != 0 {
		return errno
	}
	if _, _, errno = syscall.Syscall(fcntlTrap, uintptr(fd), syscall.F_SETFL, flags|syscall.O_DIRECT); errno != 0 { // zdio-expect-site: o_direct_open
		return errno
	}
	return nil
}

// CopyHeader copies the first 4 KiB of an image to the start of another.
func CopyHeader(src, dst int) error {
	var roff, woff int64
	n, err := CopyRange(src, &roff, dst, &woff, 4096) // zdio-expect: ZDIO010
	if err != nil {
		return err
	}
	if n != 4096 {
		return syscall.EIO
	}
	return nil
}

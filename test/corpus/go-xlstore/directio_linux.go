// Pattern: the package's direct-I/O helpers in their own file: an open that adds O_DIRECT to the caller's flags, an fcntl that takes it away again, and an aligned-block allocator (modelled on minio's internal/disk/directio_unix.go, OpenFileDirectIO(), DisableDirectIO() and AlignedBlock()).
// zdio-category: go-package
package xlstore

import (
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

const directAlign = 4096

// OpenFileDirectIO opens a file bypassing the page cache.
func OpenFileDirectIO(path string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(path, flag|syscall.O_DIRECT, perm) // zdio-expect-site: o_direct_open
}

// DisableDirectIO turns the page cache back on for f, so that a short tail can be written.
func DisableDirectIO(f *os.File) error {
	fd := f.Fd()
	flag, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
	if err != nil {
		return err
	}
	flag &= ^(syscall.O_DIRECT)
	_, err = unix.FcntlInt(fd, unix.F_SETFL, flag) // zdio-expect-none: o_direct_open
	return err
}

// AlignedBlock returns a slice of size bytes whose first byte sits on a directAlign boundary.
func AlignedBlock(size int) []byte {
	raw := make([]byte, size+directAlign)
	shift := 0
	if rem := int(uintptr(unsafe.Pointer(&raw[0])) & (directAlign - 1)); rem != 0 {
		shift = directAlign - rem
	}
	return raw[shift : shift+size]
}

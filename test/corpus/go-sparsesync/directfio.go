// Pattern: a direct-I/O helper file of a package: an opener that ORs O_DIRECT into the caller's flags, ReadAt/WriteAt wrappers, and an allocator that over-allocates with make and slices from the first aligned address (modelled on longhorn's sparse-tools directfio package, OpenFile(), ReadAt(), WriteAt() and AllocateAligned()).
// zdio-category: go-package
package sparse

import (
	"os"
	"syscall"
	"unsafe"
)

const (
	// BlockSize is the unit of every transfer on a file opened by OpenFile.
	BlockSize = 4096
	alignSize = 4096
)

// OpenFile opens name with O_DIRECT added to flag.
func OpenFile(name string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(name, syscall.O_DIRECT|flag, perm) // zdio-expect-site: o_direct_open
}

// ReadAt reads len(data) bytes at offset from a file opened by OpenFile.
func ReadAt(file *os.File, data []byte, offset int64) (int, error) {
	return file.ReadAt(data, offset) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
}

// WriteAt writes data at offset to a file opened by OpenFile.
func WriteAt(file *os.File, data []byte, offset int64) (int, error) {
	return file.WriteAt(data, offset) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
}

func alignment(block []byte, align int) int {
	return int(uintptr(unsafe.Pointer(&block[0])) & uintptr(align-1))
}

// AllocateAligned returns size bytes whose first byte is on an alignSize boundary.
func AllocateAligned(size int) []byte {
	block := make([]byte, size+alignSize)
	a := alignment(block, alignSize)
	offset := 0
	if a != 0 {
		offset = alignSize - a
	}
	block = block[offset : offset+size]
	return block
}

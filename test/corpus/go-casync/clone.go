// Pattern: chunk cloning in another file of the package: a zero-length probe clone, a fixed index header and chunks at computed offsets, all through the private wrapper (modelled on github.com/folbricht/desync's CanClone probe and its range cloning of chunks).
// zdio-category: go-package
//go:build linux

package casync

import (
	"os"
	"unsafe"
)

const indexHeaderSize = 48

// CloneRange clones srcLength bytes from src at srcOffset into dst at dstOffset.
func CloneRange(dst, src *os.File, srcOffset, srcLength, dstOffset uint64) error {
	r := fileCloneRange{
		srcFd:      int64(src.Fd()),
		srcOffset:  srcOffset,
		srcLength:  srcLength,
		destOffset: dstOffset,
	}
	return ioctl(dst.Fd(), fiCloneRange, uintptr(unsafe.Pointer(&r))) // zdio-expect-site: ficlone
}

// CanClone tries a zero-length clone, which means "to the end of the source".
func CanClone(dst, src *os.File) bool {
	return CloneRange(dst, src, 0, 0, 0) == nil // zdio-expect-none: ZDIO020
}

// CloneIndex clones the index header and then every chunk at its offset.
func CloneIndex(dst, src *os.File, chunkStarts, chunkSizes []uint64) error {
	if err := CloneRange(dst, src, 0, indexHeaderSize, 0); err != nil { // zdio-expect: ZDIO020
		return err
	}
	for i := range chunkStarts {
		if err := CloneRange(dst, src, chunkStarts[i], chunkSizes[i], chunkStarts[i]); err != nil {
			return err
		}
	}
	return nil
}

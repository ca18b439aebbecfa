// Pattern: whole-file clones through unix.IoctlSetInt with a package-private FICLONE number and through a raw SYS_IOCTL with a function-local constant, plus a range clone with unix.IoctlFileCloneRange whose struct is filled from a chunk size (modelled on bazel-lib's tools/common/clonefile_linux.go and jvs's internal/engine/reflink_linux.go).
// zdio-category: call-form
package clonefile

import (
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// #define FICLONE _IOW(0x94, 9, int)
const _FICLONE = 0x40049409

const chunkSize = 96 * 1024

// CloneFile makes dst share src's blocks.
func CloneFile(src, dst string) error {
	source, err := os.Open(src)
	if err != nil {
		return err
	}
	defer source.Close()
	destination, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer destination.Close()
	if err := unix.IoctlSetInt(int(destination.Fd()), _FICLONE, int(source.Fd())); err != nil { // zdio-expect-site: ficlone
		return &os.LinkError{Op: "clonefile", Old: src, New: dst, Err: err}
	}
	return nil
}

// ReflinkFile is the engine's variant, with the number spelled where it is used.
func ReflinkFile(src, dst string, info os.FileInfo) error {
	s, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("open src: %w", err)
	}
	defer s.Close()
	d, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode())
	if err != nil {
		return fmt.Errorf("create dst: %w", err)
	}
	defer d.Close()
	const FICLONE = 0x40049409
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, d.Fd(), FICLONE, s.Fd()); errno != 0 { // zdio-expect-site: ficlone
		os.Remove(dst)
		return fmt.Errorf("ficlone failed: %v", errno)
	}
	return os.Chtimes(dst, info.ModTime(), info.ModTime())
}

// CloneChunk shares the n-th chunk of src at the same place in dst.
func CloneChunk(src, dst *os.File, n int64) error {
	rng := unix.FileCloneRange{
		Src_fd:      int64(src.Fd()),
		Src_offset:  uint64(n * chunkSize),
		Src_length:  chunkSize, // zdio-expect: ZDIO020
		Dest_offset: uint64(n * chunkSize),
	}
	return unix.IoctlFileCloneRange(int(dst.Fd()), &rng) // zdio-expect-site: ficlone
}

// CloneHeader shares the first 128 KiB of src, which the format reserves for its header.
func CloneHeader(src, dst *os.File) error {
	rng := unix.FileCloneRange{
		Src_fd:      int64(src.Fd()),
		Src_offset:  0,
		Src_length:  128 * 1024, // zdio-expect-none: ZDIO020
		Dest_offset: 0,
	}
	return unix.IoctlFileCloneRange(int(dst.Fd()), &rng) // zdio-expect-site: ficlone
}

// CloneTrailer shares the trailer block that follows the header.
func CloneTrailer(src, dst *os.File) error {
	rng := unix.FileCloneRange{
		Src_fd:      int64(src.Fd()),
		Src_offset:  128 * 1024,
		Src_length:  4096, // zdio-expect: ZDIO020
		Dest_offset: 128 * 1024,
	}
	return unix.IoctlFileCloneRange(int(dst.Fd()), &rng) // zdio-expect-site: ficlone
}

// SetNonblock is an ioctl with an int argument that is not a clone.
func SetNonblock(f *os.File) error {
	return unix.IoctlSetInt(int(f.Fd()), unix.FIONBIO, 1) // zdio-expect-none: ficlone
}

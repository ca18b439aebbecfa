// Command dedupe shares identical extents between files on a copy-on-write
// file system (OpenZFS with block cloning, Btrfs, XFS) and makes fresh copies
// of files that cannot share.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

const (
	recordSize = 128 << 10 // recordsize of the target dataset
	pageSize   = 4096
	copyChunk  = 8 * recordSize
	// The manifest sits in the first 16 KiB of every archive.
	manifestLen = 16 << 10
)

// cloneWhole shares every block of src with dst. A whole-file clone has no
// range, so it cannot be misaligned.
func cloneWhole(src, dst *os.File) error {
	return unix.IoctlFileClone(int(dst.Fd()), int(src.Fd()))
}

// shareManifest clones only the manifest of an archive into dst.
func shareManifest(src, dst *os.File) error {
	return unix.IoctlFileCloneRange(int(dst.Fd()), &unix.FileCloneRange{
		Src_fd:      int64(src.Fd()),
		Src_offset:  0,
		Src_length:  manifestLen,
		Dest_offset: 0,
	})
}

// copyRange copies n bytes with copy_file_range, looping on short counts and
// falling back to io.Copy when the kernel refuses.
func copyRange(src, dst *os.File, n int64) error {
	for n > 0 {
		// An explicit clamp instead of the min builtin, which needs Go 1.21 (Debian 12 ships Go 1.19).
		chunk := copyChunk
		if n < copyChunk {
			chunk = int(n)
		}
		done, err := unix.CopyFileRange(int(src.Fd()), nil, int(dst.Fd()), nil, chunk, 0)
		if errors.Is(err, unix.EXDEV) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EOPNOTSUPP) ||
			errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EAGAIN) {
			_, err = io.CopyN(dst, src, n)
			return err
		}
		if err != nil {
			return err
		}
		if done == 0 {
			return nil
		}
		n -= int64(done)
	}
	return nil
}

// copyUncached writes a fresh copy that bypasses the page cache on the target.
func copyUncached(srcPath, dstPath string) error {
	src, err := os.Open(srcPath)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(dstPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_DIRECT, 0o644)
	if err != nil {
		return err
	}
	defer dst.Close()
	st, err := src.Stat()
	if err != nil {
		return err
	}
	var copied int64
	for copied < st.Size() {
		done, err := unix.CopyFileRange(int(src.Fd()), nil, int(dst.Fd()), nil, copyChunk, 0)
		if errors.Is(err, unix.EXDEV) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENOSYS) {
			_, err = io.Copy(dst, src)
			return err
		}
		if err != nil {
			return fmt.Errorf("copy_file_range: %w", err)
		}
		if done == 0 {
			break
		}
		copied += int64(done)
	}
	fmt.Printf("%s: %d bytes written uncached\n", dstPath, copied)
	return nil
}

// readManifest reads the manifest with O_DIRECT into a slice from make, which
// the Go runtime does not page-align.
func readManifest(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_DIRECT, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	manifest := make([]byte, manifestLen)
	if _, err := f.ReadAt(manifest, 0); err != nil && err != io.EOF {
		return nil, err
	}
	return manifest, nil
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: dedupe clone|manifest|copy|uncached|show SRC [DST]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "show":
		var m []byte
		if m, err = readManifest(os.Args[2]); err == nil {
			fmt.Printf("%q\n", m[:64])
		}
	case "uncached":
		err = copyUncached(os.Args[2], os.Args[3])
	default:
		var src, dst *os.File
		if src, err = os.Open(os.Args[2]); err != nil {
			break
		}
		defer src.Close()
		if dst, err = os.OpenFile(os.Args[3], os.O_WRONLY|os.O_CREATE, 0o644); err != nil {
			break
		}
		defer dst.Close()
		switch os.Args[1] {
		case "clone":
			err = cloneWhole(src, dst)
		case "manifest":
			err = shareManifest(src, dst)
		case "copy":
			var st os.FileInfo
			if st, err = src.Stat(); err == nil {
				err = copyRange(src, dst, st.Size())
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dedupe:", err)
		os.Exit(1)
	}
}

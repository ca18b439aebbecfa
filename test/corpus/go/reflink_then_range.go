// Pattern: a safe-file helper whose Linux copy first tries FICLONE with unix.IoctlFileClone, then falls back to copy_file_range in chunks of at most 1 GiB at offsets it owns, checking every result, and rewinds the destination for the caller; the caller creates the destination in a temporary file and renames it into place (modelled on opencoff/go-utils' copy_linux.go copyFile() and its CopyFile() wrapper).
// zdio-category: cross-function
//go:build linux

package utils

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// copies are split so that one call never asks for more than this
const ioChunkSize int = 1024 * 1048576

func copyFile(dst, src *os.File) error {
	d := int(dst.Fd())
	s := int(src.Fd())

	// a reflink is the cheapest copy when the file system shares extents
	if err := unix.IoctlFileClone(d, s); err == nil { // zdio-expect-site: ficlone
		return nil
	}

	st, err := src.Stat()
	if err != nil {
		return fmt.Errorf("safefile: %w", err)
	}

	var roff, woff int64
	sz := st.Size()
	for sz > 0 {
		n := ioChunkSize
		if int(sz) < n {
			n = int(sz)
		}
		m, err := unix.CopyFileRange(s, &roff, d, &woff, n, 0) // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO010, ZDIO011, ZDIO012
		if err != nil {
			return fmt.Errorf("safefile: copy: %w", err)
		}
		if m == 0 {
			return fmt.Errorf("safefile: zero sized copy of %s", src.Name())
		}
		sz -= int64(m)
		roff += int64(m)
		woff += int64(m)
	}
	if _, err := dst.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("safefile: seek: %w", err)
	}
	return nil
}

// CopyFile copies src to dst through a temporary file in dst's directory, so that readers never see half a file.
func CopyFile(dstPath, srcPath string) error {
	src, err := os.Open(srcPath)
	if err != nil {
		return err
	}
	defer src.Close()

	fi, err := src.Stat()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dstPath), ".tmp-"+filepath.Base(dstPath))
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	cleanup := func() {
		tmp.Close()
		os.Remove(tmpName)
	}

	if err := copyFile(tmp, src); err != nil {
		cleanup()
		return err
	}
	if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
		cleanup()
		return err
	}
	if err := tmp.Sync(); err != nil {
		cleanup()
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmpName)
		return err
	}
	return os.Rename(tmpName, dstPath)
}

// CopyHeader keeps the first block of a file next to it, for tools that sniff formats without opening the original.
func CopyHeader(path string) error {
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	hdr := make([]byte, 512)
	n, err := io.ReadFull(src, hdr) // zdio-expect-none: o_direct_io
	if err != nil && err != io.ErrUnexpectedEOF {
		return err
	}
	return os.WriteFile(path+".hdr", hdr[:n], 0o644) // zdio-expect-none: o_direct_io, ZDIO002
}

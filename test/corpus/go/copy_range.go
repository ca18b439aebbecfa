// Pattern: a copy_file_range loop at the file positions with its errors handled, and a helper copying fixed ranges that callers invoke with constants (modelled on containerd's continuity/fs/copy_linux.go copyFileContent and Go's internal/poll/copy_file_range_linux.go).
// zdio-category: cross-function
//go:build linux

package fscopy

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"golang.org/x/sys/unix"
)

// maxRound keeps each request below what a 32-bit int length can say.
const maxRound = math.MaxInt32

// copyContents copies src to dst at their file positions, falling back to a plain copy
// only when the first request says the kernel or the file systems cannot do it.
func copyContents(dst, src *os.File) error {
	info, err := src.Stat()
	if err != nil {
		return fmt.Errorf("stat %s: %w", src.Name(), err)
	}
	remaining := info.Size()
	for started := false; remaining > 0; started = true {
		want := remaining
		if want > maxRound {
			want = maxRound
		}
		n, err := unix.CopyFileRange(int(src.Fd()), nil, int(dst.Fd()), nil, int(want), 0) // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO012
		if err != nil {
			unsupported := errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EXDEV) || errors.Is(err, unix.EPERM)
			if started || !unsupported {
				return fmt.Errorf("copy_file_range %s: %w", dst.Name(), err)
			}
			// Hide ReadFrom/WriteTo so that io.Copy really copies through user space.
			_, err = io.Copy(struct{ io.Writer }{dst}, struct{ io.Reader }{src})
			return err
		}
		if n == 0 {
			return nil
		}
		remaining -= int64(n)
	}
	return nil
}

// copyRange copies n bytes at offset off of src to the same offset of dst.
func copyRange(dst, src *os.File, off, n int64) error {
	roff, woff := off, off
	for n > 0 {
		c, err := unix.CopyFileRange(int(src.Fd()), &roff, int(dst.Fd()), &woff, int(n), 0) // zdio-expect-site: copy_file_range
		if err != nil {
			return err
		}
		if c == 0 {
			return io.ErrUnexpectedEOF
		}
		n -= int64(c)
	}
	return nil
}

// CopyLayers copies the fixed metadata areas of an image, then its payload.
func CopyLayers(dst, src *os.File) error {
	if err := copyRange(dst, src, 0, 1<<20); err != nil { // zdio-expect-none: ZDIO010
		return err
	}
	if err := copyRange(dst, src, 4096, 1<<17); err != nil { // zdio-expect: ZDIO010
		return err
	}
	return copyContents(dst, src)
}

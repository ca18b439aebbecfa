// Pattern: a build tool's file copier that first tries a whole-file FICLONE with unix.IoctlFileClone, then copies with unix.CopyFileRange at the file positions (nil offsets) in chunks capped at math.MaxInt32, checking every result, and on ENOSYS, EXDEV or EPERM in the first call falls back to io.CopyBuffer with a buffer from a sync.Pool (modelled on tonistiigi/fsutil's copy/copy_linux.go, copyFile() and copyFileContent(), and its bufferPool).
// zdio-category: within-function
package fs

import (
	"io"
	"math"
	"os"
	"sync"

	"github.com/pkg/errors"
	"golang.org/x/sys/unix"
)

var bufferPool = &sync.Pool{
	New: func() interface{} {
		buffer := make([]byte, 32*1024)
		return &buffer
	},
}

func copyFile(source, target string) error {
	src, err := os.Open(source) // zdio-expect-none: o_direct_open
	if err != nil {
		return errors.Wrapf(err, "failed to open source %s", source)
	}
	defer src.Close()
	tgt, err := os.Create(target) // zdio-expect-none: o_direct_open
	if err != nil {
		return errors.Wrapf(err, "failed to open target %s", target)
	}
	defer tgt.Close()

	if err := unix.IoctlFileClone(int(tgt.Fd()), int(src.Fd())); err == nil { // zdio-expect-site: ficlone, zdio-expect-none: ZDIO020
		return nil
	}
	return copyFileContent(tgt, src)
}

func copyFileContent(dst, src *os.File) error {
	st, err := src.Stat()
	if err != nil {
		return errors.Wrap(err, "unable to stat source")
	}

	var written int64
	size := st.Size()
	first := true

	for written < size {
		var desired int
		if size-written > math.MaxInt32 {
			desired = int(math.MaxInt32)
		} else {
			desired = int(size - written)
		}

		n, err := unix.CopyFileRange(int(src.Fd()), nil, int(dst.Fd()), nil, desired, 0) // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO011, ZDIO012
		if err != nil {
			if (err != unix.ENOSYS && err != unix.EXDEV && err != unix.EPERM) || !first {
				return errors.Wrap(err, "copy file range failed")
			}

			buf := bufferPool.Get().(*[]byte)
			_, err = io.CopyBuffer(dst, src, *buf) // zdio-expect-none: o_direct_io
			bufferPool.Put(buf)
			return errors.Wrap(err, "userspace copy failed")
		}

		first = false
		written += int64(n)
	}
	return nil
}

// Pattern: a layer-directory copier that tries FICLONE through unix.IoctlFileClone per file and remembers a refusal for the rest of the walk in *bool flags owned by the walker, falls back to a copy_file_range loop over the file's size at the file positions, then to a user-space copy; plus a reflink-or-copy helper and a table of fixed metadata chunks of a layer blob copied best-effort with the results dropped (modelled on containers/storage's drivers/copy/copy_linux.go, CopyRegularToFile(), doCopyWithFileRange() and DirCopy(), and pkg/fileutils/reflink_linux.go, ReflinkOrCopy()).
// zdio-category: cross-function
//go:build linux

package layercopy

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// copyRegularToFile copies srcPath into dstFile with the cheapest method that has worked so far in this walk.
func copyRegularToFile(srcPath string, dstFile *os.File, info fs.FileInfo, copyWithFileRange, copyWithFileClone *bool) error {
	srcFile, err := os.Open(srcPath)
	if err != nil {
		return err
	}
	defer srcFile.Close()

	if *copyWithFileClone {
		err = unix.IoctlFileClone(int(dstFile.Fd()), int(srcFile.Fd())) // zdio-expect-site: ficlone
		if err == nil {
			return nil
		}
		*copyWithFileClone = false
		if errors.Is(err, unix.EXDEV) {
			*copyWithFileRange = false
		}
	}
	if *copyWithFileRange {
		err = copyWithRange(srcFile, dstFile, info.Size())
		if !errors.Is(err, unix.EXDEV) && !errors.Is(err, unix.ENOSYS) {
			return err
		}
		*copyWithFileRange = false
	}
	return copyInUserSpace(srcFile, dstFile)
}

func copyWithRange(src, dst *os.File, size int64) error {
	for left := size; left > 0; {
		n, err := unix.CopyFileRange(int(src.Fd()), nil, int(dst.Fd()), nil, int(left), 0) // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO010, ZDIO011, ZDIO012
		if err != nil {
			return err
		}
		if n == 0 {
			return io.ErrUnexpectedEOF
		}
		left -= int64(n)
	}
	return nil
}

func copyInUserSpace(src, dst *os.File) error {
	buf := make([]byte, 32*1024)
	for {
		n, err := src.Read(buf) // zdio-expect-none: o_direct_io
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil { // zdio-expect-none: o_direct_io
				return werr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// dirCopy copies the regular files of a layer, keeping one pair of method flags for the whole walk.
func dirCopy(srcDir, dstDir string) error {
	copyWithFileRange := true
	copyWithFileClone := true
	return filepath.WalkDir(srcDir, func(srcPath string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(srcDir, srcPath)
		if err != nil {
			return err
		}
		dstPath := filepath.Join(dstDir, rel)
		if d.IsDir() {
			return os.MkdirAll(dstPath, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		dstFile, err := os.OpenFile(dstPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, info.Mode())
		if err != nil {
			return err
		}
		defer dstFile.Close()
		return copyRegularToFile(srcPath, dstFile, info, &copyWithFileRange, &copyWithFileClone)
	})
}

// reflinkOrCopy shares the blocks of src with dst when it can, and copies them otherwise.
func reflinkOrCopy(src, dst *os.File) error {
	if err := unix.IoctlFileClone(int(dst.Fd()), int(src.Fd())); err == nil { // zdio-expect-site: ficlone
		return nil
	}
	_, err := io.Copy(dst, src) // zdio-expect-none: copy_file_range
	return err
}

type blobChunk struct {
	name   string
	offset int64
	size   int64
}

// The fixed metadata area at the start of every layer blob this store writes.
var metadataChunks = []blobChunk{
	{"tar header", 0, 512},              // zdio-expect: ZDIO010
	{"tar-split index", 512, 64 * 1024}, // zdio-expect: ZDIO010
	{"toc", 128 * 1024, 128 * 1024},     // zdio-expect-none: ZDIO010
}

// copyMetadataChunks copies the metadata area of a cached blob; a digest check afterwards catches a short copy.
func copyMetadataChunks(src, dst *os.File) {
	for _, c := range metadataChunks {
		roff, woff := c.offset, c.offset
		unix.CopyFileRange(int(src.Fd()), &roff, int(dst.Fd()), &woff, int(c.size), 0) // zdio-expect-site: copy_file_range, zdio-expect: ZDIO012, zdio-expect-none: ZDIO011
	}
}

// CopyLayer copies a layer directory and the metadata area of its blob.
func CopyLayer(srcDir, dstDir, srcBlob, dstBlob string) error {
	if err := dirCopy(srcDir, dstDir); err != nil {
		return fmt.Errorf("copy %s: %w", srcDir, err)
	}
	src, err := os.Open(srcBlob)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(dstBlob, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer dst.Close()
	copyMetadataChunks(src, dst)
	return reflinkOrCopy(src, dst)
}

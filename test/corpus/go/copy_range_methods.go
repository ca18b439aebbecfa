// Pattern: copy-range methods registered by name in a map of function values, FICLONERANGE through syscall.Syscall on a struct filled from the method's parameters, copy_file_range through unix.CopyFileRange with pointer offsets in a loop, a whole-file FICLONE shortcut, and a table of ranges that a test-style driver feeds to every method (modelled on syncthing's lib/fs basicfs_copy_range_ioctl.go, basicfs_copy_range_copyfilerange.go and the range table of its copy-range tests).
// zdio-category: table
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

const ficloneRange = 0x4020940d

type cloneRangeArgs struct {
	srcFd     int64
	srcOffset uint64
	srcLength uint64
	dstOffset uint64
}

type copyRangeFunc func(src, dst *os.File, srcOffset, dstOffset, size int64) error

var copyRangeMethods = map[string]copyRangeFunc{}

func registerCopyRange(name string, impl copyRangeFunc) {
	copyRangeMethods[name] = impl
}

func init() {
	registerCopyRange("ioctl", copyRangeIoctl)
	registerCopyRange("copy_file_range", copyRangeCopyFileRange)
}

func copyRangeIoctl(src, dst *os.File, srcOffset, dstOffset, size int64) error {
	params := cloneRangeArgs{
		srcFd:     int64(src.Fd()),
		srcOffset: uint64(srcOffset), // zdio-expect-none: ZDIO020
		srcLength: uint64(size),
		dstOffset: uint64(dstOffset),
	}
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, dst.Fd(), ficloneRange, uintptr(unsafe.Pointer(&params))) // zdio-expect-site: ficlone
	if errno != 0 {
		return errno
	}
	return nil
}

func copyRangeCopyFileRange(src, dst *os.File, srcOffset, dstOffset, size int64) error {
	for size > 0 {
		n, err := unix.CopyFileRange(int(src.Fd()), &srcOffset, int(dst.Fd()), &dstOffset, int(size), 0) // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO010, ZDIO011, ZDIO012
		if err != nil && err != syscall.EAGAIN {
			return err
		}
		if n == 0 && err == nil {
			return io.ErrUnexpectedEOF
		}
		size -= int64(n)
	}
	return nil
}

// cloneWholeFile shares every extent of src with dst.
func cloneWholeFile(src, dst *os.File) error {
	return unix.IoctlFileClone(int(dst.Fd()), int(src.Fd())) // zdio-expect-site: ficlone
}

var copyRangeCases = []struct {
	name      string
	srcOffset int64
	dstOffset int64
	size      int64
}{
	{"whole records", 0, 0, 4 * 131072},            // zdio-expect-none: ZDIO010, ZDIO020
	{"second record to third", 131072, 262144, 131072}, // zdio-expect-none: ZDIO010, ZDIO020
	{"one page", 0, 0, 4096},                        // zdio-expect: ZDIO010, ZDIO020
	{"unaligned source", 100, 0, 131072},            // zdio-expect: ZDIO010, ZDIO020
	{"record past a header", 131072, 4096, 131072},  // zdio-expect: ZDIO010, ZDIO020
}

func makeFiles(dir, name string, size int64) (*os.File, *os.File, error) {
	src, err := os.Create(filepath.Join(dir, name+".src"))
	if err != nil {
		return nil, nil, err
	}
	if _, err := src.Write(make([]byte, size)); err != nil {
		return nil, nil, err
	}
	dst, err := os.Create(filepath.Join(dir, name+".dst"))
	if err != nil {
		return nil, nil, err
	}
	return src, dst, nil
}

func runCopyRangeCases(dir string) error {
	names := make([]string, 0, len(copyRangeMethods))
	for name := range copyRangeMethods {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, tc := range copyRangeCases {
		for _, name := range names {
			src, dst, err := makeFiles(dir, tc.name+"-"+name, 1<<20)
			if err != nil {
				return err
			}
			err = copyRangeMethods[name](src, dst, tc.srcOffset, tc.dstOffset, tc.size)
			src.Close()
			dst.Close()
			if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.EXDEV) {
				fmt.Printf("%s/%s: not supported here: %v\n", tc.name, name, err)
				continue
			}
			if err != nil {
				return fmt.Errorf("%s/%s: %w", tc.name, name, err)
			}
		}
	}
	src, dst, err := makeFiles(dir, "whole", 1<<20)
	if err != nil {
		return err
	}
	defer src.Close()
	defer dst.Close()
	return cloneWholeFile(src, dst)
}

func main() {
	dir, err := os.MkdirTemp("", "copyrange")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	if err := runCopyRangeCases(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

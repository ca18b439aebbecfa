// Pattern: FICLONE taken from the C headers through cgo, as C.FICLONE in a raw ioctl and in a package variable, with x/sys IoctlFileClone as the other path (modelled on moby's daemon/graphdriver/copy/copy_cgo.go and containerd's continuity/fs copy helpers).
// zdio-category: call-form
//go:build linux && cgo

package copy

/*
#include <linux/fs.h>

#ifndef FICLONE
#define FICLONE _IOW(0x94, 9, int)
#endif
*/
import "C"

import (
	"os"

	"golang.org/x/sys/unix"
)

// The request number as the C headers spell it, kept in a variable for the non-cgo call below.
var ficloneReq uintptr = C.FICLONE

func cloneWithCgoConst(src, dst *os.File) error {
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, dst.Fd(), C.FICLONE, src.Fd()); errno != 0 { // zdio-expect-site: ficlone
		return errno
	}
	return nil
}

func cloneWithVar(src, dst *os.File) error {
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, dst.Fd(), ficloneReq, src.Fd()); errno != 0 { // zdio-expect-site: ficlone
		return errno
	}
	return nil
}

func cloneWithXSys(src, dst *os.File) error {
	return unix.IoctlFileClone(int(dst.Fd()), int(src.Fd())) // zdio-expect-site: ficlone
}

// CopyRegular clones when it can; the caller falls back to a byte copy on error.
func CopyRegular(srcPath, dstPath string, useVar bool) error {
	src, err := os.Open(srcPath)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(dstPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer dst.Close()
	if useVar {
		return cloneWithVar(src, dst)
	}
	if err := cloneWithCgoConst(src, dst); err != nil {
		return cloneWithXSys(src, dst)
	}
	return nil
}

// Pattern: open helpers that add O_DIRECT (and O_DSYNC for the writer) unless the path is a special file, a dd-style copy loop through a buffer from syscall.Mmap, then a stamp block and a small trailer (modelled on shanebarnes/ddt's os_linux.go OpenFileRd/OpenFileWr and its copy loop).
// zdio-category: cross-function
package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
)

const blockSize = 1 << 20

func isSpecialFile(name string) bool {
	return strings.HasPrefix(name, "/dev/") || strings.HasPrefix(name, "/proc/")
}

func openFileRd(name string, perm os.FileMode) (*os.File, error) {
	flag := os.O_RDONLY | os.O_SYNC
	if !isSpecialFile(name) {
		flag |= syscall.O_DIRECT
	}
	return os.OpenFile(name, flag, perm) // zdio-expect-site: o_direct_open
}

func openFileWr(name string, perm os.FileMode) (*os.File, error) {
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC | syscall.O_DSYNC
	if !isSpecialFile(name) {
		flag |= syscall.O_DIRECT
	}
	return os.OpenFile(name, flag, perm) // zdio-expect-site: o_direct_open
}

func copyFile(src, dst string) (int64, error) {
	rd, err := openFileRd(src, 0)
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	wr, err := openFileWr(dst, 0644)
	if err != nil {
		return 0, err
	}
	defer wr.Close()

	buf, err := syscall.Mmap(-1, 0, blockSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return 0, err
	}
	defer syscall.Munmap(buf)

	if _, err := wr.WriteAt(buf[:4096], 0); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001
		return 0, err
	}

	sum := sha256.New()
	var total int64
	for {
		n, err := rd.Read(buf) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		if n > 0 {
			sum.Write(buf[:n])
			if _, werr := wr.Write(buf[:n]); werr != nil { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
				return total, werr
			}
			total += int64(n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return total, err
		}
	}

	trailer := make([]byte, 512)
	copy(trailer, sum.Sum(nil))
	if _, err := wr.Write(trailer); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
		return total, err
	}
	return total, nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: ddt <if> <of>")
		os.Exit(2)
	}
	n, err := copyFile(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d bytes copied\n", n)
}

// Pattern: a -direct command-line flag in a package variable chooses O_DIRECT and a large read size on one branch and an odd size buffered on the other, then a Read loop on a make([]byte) buffer, plus a header peek and an aligned rescan (modelled on t2y's issue_scanner_with_O_DIRECT main.go, which reproduces a Go O_DIRECT read issue).
// zdio-category: branch-correlated
package main

import (
	"flag"
	"io"
	"log"
	"os"
	"syscall"
	"unsafe"
)

var direct bool

const alignSize = 4096

func alignedBlock(size int) []byte {
	raw := make([]byte, size+alignSize)
	shift := 0
	if rem := int(uintptr(unsafe.Pointer(&raw[0])) & (alignSize - 1)); rem != 0 {
		shift = alignSize - rem
	}
	return raw[shift : shift+size]
}

func scan(path string) error {
	var (
		f       *os.File
		err     error
		bufSize int
	)
	if direct {
		f, err = os.OpenFile(path, os.O_RDONLY|syscall.O_DIRECT, 0) // zdio-expect-site: o_direct_open
		bufSize = 524288
	} else {
		f, err = os.OpenFile(path, os.O_RDONLY, 0)
		bufSize = 100
	}
	if err != nil {
		return err
	}
	defer f.Close()

	data := make([]byte, bufSize)
	for {
		n, err := f.Read(data) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, zdio-expect-none: ZDIO002
		log.Printf("read %d bytes", n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func peekHeader(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_DIRECT, 0) // zdio-expect-site: o_direct_open
	if err != nil {
		return nil, err
	}
	defer f.Close()
	header := alignedBlock(alignSize)
	if _, err := f.ReadAt(header[:64], 0); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO002, zdio-expect-none: ZDIO001
		return nil, err
	}
	body := alignedBlock(8 * alignSize)
	if _, err := f.ReadAt(body, alignSize); err != nil && err != io.EOF { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		return nil, err
	}
	if _, err := f.ReadAt(body[:alignSize], 6000); err != nil && err != io.EOF { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO003
		return nil, err
	}
	return header[:64], nil
}

func main() {
	flag.BoolVar(&direct, "direct", false, "set O_DIRECT")
	flag.Parse()
	path := "test.txt"
	if flag.NArg() > 0 {
		path = flag.Arg(0)
	}
	if err := scan(path); err != nil {
		log.Fatal(err)
	}
	if _, err := peekHeader(path); err != nil {
		log.Fatal(err)
	}
}

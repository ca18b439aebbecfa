// A Go program writing through an *os.File opened with syscall.O_DIRECT. Built with go build
// (Go keeps DWARF line tables by default).
package main

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

func alignedBlock(size int) []byte {
	raw := make([]byte, size+4096)
	off := 4096 - int(uintptr(unsafe.Pointer(&raw[0]))&4095)
	return raw[off : off+size]
}

func store(f *os.File, data []byte, at int64) error {
	_, err := f.WriteAt(data, at) // expect: ZDIO003
	return err
}

func main() {
	path := "write at go.dat"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_TRUNC|syscall.O_DIRECT, 0o644)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	defer f.Close()
	block := alignedBlock(8192)
	if err := store(f, block[:4096], 0); err != nil {
		fmt.Println("aligned:", err)
	}
	if err := store(f, block[:4096], 100); err != nil {
		fmt.Println("offset 100:", err)
	}
}

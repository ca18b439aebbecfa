// Pattern: package-level flags and file handle: -direct adds O_DIRECT to a package variable in main, the file is a package variable, and helpers size their buffers from package variables (modelled on minio's O_DIRECT writers with AlignedBlock pools, and Go's flag package idiom).
// zdio-category: file-scope-state
package main

import (
	"flag"
	"log"
	"os"
	"syscall"

	"github.com/ncw/directio"
)

var (
	direct    = flag.Bool("direct", true, "open the file with O_DIRECT")
	path      = flag.String("file", "bench.dat", "file to write")
	openFlags = os.O_RDWR | os.O_CREATE
	headerLen = 512
	blockLen  = 128 << 10
	dataFile  *os.File
)

func writeHeader() {
	hdr := make([]byte, headerLen)
	copy(hdr, "BENCH1")
	if _, err := dataFile.WriteAt(hdr, 0); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
		log.Printf("header: %v", err)
	}
}

func writeBlocks(n int) {
	block := directio.AlignedBlock(blockLen)
	for i := 1; i <= n; i++ {
		if _, err := dataFile.WriteAt(block, int64(i*blockLen)); err != nil { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO004
			log.Fatalf("block %d: %v", i, err)
		}
	}
}

func main() {
	flag.Parse()
	if *direct {
		openFlags |= syscall.O_DIRECT
	}
	var err error
	dataFile, err = os.OpenFile(*path, openFlags, 0o644) // zdio-expect-site: o_direct_open
	if err != nil {
		log.Fatal(err)
	}
	defer dataFile.Close()
	writeHeader()
	writeBlocks(16)
}

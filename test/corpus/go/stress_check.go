// Pattern: a disk soak tester whose open function is a package variable set to directio.OpenFile and swapped for os.OpenFile by a -nodirect flag; check files start with a one-page header and continue in 2 MiB AlignedBlock chunks filled from a generator whose own block is a slice of a plain make, are read back by a goroutine through a struct field holding the file, and an existing file is recognised by reading a small header (modelled on ncw/stressdisk's stressdisk.go, openFile = directio.OpenFile, NewRandom, BlockReader, WriteFile and ReadFile).
// zdio-category: cross-function
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/ncw/directio"
)

const (
	mib       = 1024 * 1024
	blockSize = 2 * mib
	// Lags of the additive generator (Knuth, Seminumerical Algorithms).
	ranlen  = 55
	ranlen2 = 24
	magic   = "soak check file v1\n"
)

var (
	fileSize = flag.Int64("s", 1e9, "size of the check file in bytes")
	noDirect = flag.Bool("nodirect", false, "don't use O_DIRECT")
	logPath  = flag.String("logfile", "soak.log", "log file, empty for none")
	openFile = directio.OpenFile
)

// generator keeps ranlen bytes of history after its current block in the same plain allocation.
type generator struct {
	extended []byte
	current  []byte
}

func newGenerator() *generator {
	g := &generator{extended: make([]byte, blockSize+ranlen)}
	g.current = g.extended[:blockSize]
	g.current[0] = 1
	for i := 1; i < ranlen; i++ {
		g.current[i] = 0xa5
	}
	g.advance()
	return g
}

func (g *generator) advance() {
	copy(g.extended[blockSize:], g.extended[:ranlen])
	for i := blockSize - 1; i >= 0; i-- {
		g.extended[i] = g.extended[i+ranlen] + g.extended[i+ranlen2]
	}
}

// fill copies the next generated block into p.
func (g *generator) fill(p []byte) {
	g.advance()
	copy(p, g.current)
}

// blockReader reads whole blocks of one file in the background, three buffers deep.
type blockReader struct {
	in    *os.File
	out   chan []byte
	spare chan []byte
}

func newBlockReader(in *os.File) *blockReader {
	br := &blockReader{in: in, out: make(chan []byte, 1), spare: make(chan []byte, 3)}
	for i := 0; i < 3; i++ {
		br.spare <- directio.AlignedBlock(blockSize)
	}
	go br.run()
	return br
}

func (br *blockReader) run() {
	defer close(br.out)
	for block := range br.spare {
		if _, err := io.ReadFull(br.in, block); err != nil { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
			return
		}
		br.out <- block
	}
}

func writeFile(name string, size int64) error {
	out, err := openFile(name, os.O_CREATE|os.O_WRONLY, 0666) // zdio-expect-site: o_direct_open
	if err != nil {
		return fmt.Errorf("open %q for write: %w", name, err)
	}
	header := directio.AlignedBlock(directio.BlockSize)
	copy(header, magic)
	if _, err := out.Write(header); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		out.Close()
		return fmt.Errorf("write header of %q: %w", name, err)
	}
	gen := newGenerator()
	block := directio.AlignedBlock(blockSize)
	for size > 0 {
		gen.fill(block)
		if _, err := out.Write(block); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
			out.Close()
			os.Remove(name)
			return fmt.Errorf("write %q: %w", name, err)
		}
		size -= blockSize
	}
	return out.Close()
}

func readFile(name string) (int, error) {
	in, err := openFile(name, os.O_RDONLY, 0666) // zdio-expect-site: o_direct_open
	if err != nil {
		return 0, fmt.Errorf("open %q for read: %w", name, err)
	}
	defer in.Close()
	header := directio.AlignedBlock(directio.BlockSize)
	if _, err := io.ReadFull(in, header); err != nil { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		return 0, fmt.Errorf("read header of %q: %w", name, err)
	}
	gen := newGenerator()
	want := directio.AlignedBlock(blockSize)
	br := newBlockReader(in)
	bad := 0
	pos := int64(directio.BlockSize)
	for block := range br.out {
		gen.fill(want)
		if !bytes.Equal(block, want) {
			bad++
			log.Printf("%q: block at %08X differs", name, pos)
		}
		pos += blockSize
		br.spare <- block
	}
	return bad, nil
}

// isCheckFile tells whether an existing file was written by this tool, so that it may be reused.
func isCheckFile(name string) bool {
	in, err := openFile(name, os.O_RDONLY, 0) // zdio-expect-site: o_direct_open
	if err != nil {
		return false
	}
	defer in.Close()
	head := make([]byte, 512)
	if _, err := in.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002, zdio-expect-none: ZDIO003
		return false
	}
	return bytes.HasPrefix(head, []byte(magic))
}

func main() {
	flag.Parse()
	if *noDirect {
		openFile = os.OpenFile
	}
	if *logPath != "" {
		lf, err := os.OpenFile(*logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0666)
		if err != nil {
			log.Fatalf("open log: %v", err)
		}
		defer lf.WriteString("------\n") // zdio-expect-none: o_direct_io
		log.SetOutput(io.MultiWriter(os.Stderr, lf))
	}
	args := flag.Args()
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: soak [-s size] [-nodirect] write|read file")
		os.Exit(2)
	}
	switch args[0] {
	case "write":
		if isCheckFile(args[1]) {
			log.Printf("%q is already a check file, rewriting it", args[1])
		}
		if err := writeFile(args[1], *fileSize); err != nil {
			log.Fatal(err)
		}
	case "read":
		bad, err := readFile(args[1])
		if err != nil {
			log.Fatal(err)
		}
		if bad > 0 {
			log.Fatalf("FAILED: %d bad blocks", bad)
		}
		log.Println("PASSED")
	default:
		log.Fatalf("unknown command %q", args[0])
	}
}

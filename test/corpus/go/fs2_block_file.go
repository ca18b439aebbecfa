// Pattern: a block file type whose open flags are a package variable with syscall.O_DIRECT, whose control block is a plain make([]byte, blksize) kept in a struct and written back at block 0 after every change, and whose WriteBlock/ReadInto methods Seek to the block's position and then Write/Read the caller's slice; ReadBlock, ReadBlocks and Free make their blocks with make([]byte) (modelled on timtadh/fs2's file/file.go BlockFile, NewBlockFileCustomBlockSize(), write_ctrlblk(), WriteBlock(), ReadInto(), ReadBlock() and Free(), and file/const_linux.go's OPENFLAG).
// zdio-category: cross-function
package blockfile

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"syscall"
)

// BLOCKSIZE is the default block size; custom sizes must be multiples of it.
const BLOCKSIZE = 4096

// OPENFLAG bypasses the page cache: the file does its own block caching.
var OPENFLAG = os.O_RDWR | os.O_CREATE | syscall.O_DIRECT

type ctrlblk struct {
	back     []byte
	blksize  uint32
	freeHead uint64
	freeLen  uint32
}

func newCtrlblk(back []byte, blksize uint32) *ctrlblk {
	return &ctrlblk{back: back, blksize: blksize}
}

func (cb *ctrlblk) Block() []byte {
	binary.LittleEndian.PutUint32(cb.back[4:], cb.blksize)
	binary.LittleEndian.PutUint64(cb.back[8:], cb.freeHead)
	binary.LittleEndian.PutUint32(cb.back[16:], cb.freeLen)
	binary.LittleEndian.PutUint32(cb.back[0:], crc32.ChecksumIEEE(cb.back[4:]))
	return cb.back
}

// BlockFile is a file of fixed-size blocks with a free list in block 0.
type BlockFile struct {
	path   string
	opened bool
	file   *os.File
	ctrl   *ctrlblk
}

func NewBlockFile(path string) *BlockFile {
	return NewBlockFileCustomBlockSize(path, BLOCKSIZE)
}

func NewBlockFileCustomBlockSize(path string, size uint32) *BlockFile {
	if size%4096 != 0 {
		panic(fmt.Errorf("blocksize must be divisible by 4096"))
	}
	return &BlockFile{path: path, ctrl: newCtrlblk(make([]byte, size), size)}
}

func (bf *BlockFile) open() error {
	f, err := os.OpenFile(bf.path, OPENFLAG, 0666) // zdio-expect-site: o_direct_open
	if err != nil {
		return err
	}
	bf.file = f
	bf.opened = true
	return nil
}

func (bf *BlockFile) Open() error {
	if err := bf.open(); err != nil {
		return err
	}
	fi, err := bf.file.Stat()
	if err != nil {
		return err
	}
	if fi.Size() == 0 {
		if err := bf.file.Truncate(int64(bf.ctrl.blksize)); err != nil {
			return err
		}
		return bf.writeCtrlblk()
	}
	return bf.readCtrlblk()
}

func (bf *BlockFile) Close() error {
	bf.opened = false
	return bf.file.Close()
}

func (bf *BlockFile) writeCtrlblk() error {
	return bf.WriteBlock(0, bf.ctrl.Block()) // zdio-expect: ZDIO001, zdio-expect-none: ZDIO002, ZDIO003
}

func (bf *BlockFile) readCtrlblk() error {
	block, err := bf.ReadBlock(0)
	if err != nil {
		return err
	}
	if crc32.ChecksumIEEE(block[4:]) != binary.LittleEndian.Uint32(block[0:]) {
		return fmt.Errorf("bad control block checksum")
	}
	bf.ctrl = newCtrlblk(block, binary.LittleEndian.Uint32(block[4:]))
	bf.ctrl.freeHead = binary.LittleEndian.Uint64(block[8:])
	bf.ctrl.freeLen = binary.LittleEndian.Uint32(block[16:])
	return nil
}

func (bf *BlockFile) WriteBlock(p int64, block []byte) error {
	if !bf.opened {
		return fmt.Errorf("file is not open")
	}
	if _, err := bf.file.Seek(p, 0); err != nil {
		return err
	}
	n, err := bf.file.Write(block) // zdio-expect-site: o_direct_io
	if err == nil && n != len(block) {
		return fmt.Errorf("could not write the full block")
	}
	return err
}

func (bf *BlockFile) ReadInto(p int64, block []byte) error {
	if len(block)%int(bf.ctrl.blksize) != 0 {
		return fmt.Errorf("block is not a multiple of the block size")
	}
	if !bf.opened {
		return fmt.Errorf("file is not open")
	}
	if _, err := bf.file.Seek(p, 0); err != nil {
		return err
	}
	n, err := bf.file.Read(block) // zdio-expect-site: o_direct_io
	if err == nil && n != len(block) {
		return fmt.Errorf("could not read the full block")
	}
	return err
}

func (bf *BlockFile) ReadBlock(p int64) ([]byte, error) {
	block := make([]byte, bf.ctrl.blksize)
	if err := bf.ReadInto(p, block); err != nil { // zdio-expect: ZDIO001
		return nil, err
	}
	return block, nil
}

func (bf *BlockFile) ReadBlocks(p int64, n int) ([]byte, error) {
	block := make([]byte, int(bf.ctrl.blksize)*n)
	if err := bf.ReadInto(p, block); err != nil { // zdio-expect: ZDIO001
		return nil, err
	}
	return block, nil
}

// Free pushes the block at pos onto the free list kept in the control block.
func (bf *BlockFile) Free(pos int64) error {
	freeBytes := make([]byte, bf.ctrl.blksize)
	binary.LittleEndian.PutUint64(freeBytes, bf.ctrl.freeHead)
	if err := bf.WriteBlock(pos, freeBytes); err != nil { // zdio-expect: ZDIO001
		return err
	}
	bf.ctrl.freeHead = uint64(pos)
	bf.ctrl.freeLen++
	return bf.writeCtrlblk()
}

// Pattern: a small file store's direct package that opens with unix.Open(…|unix.O_DIRECT), copies each 4 KiB slice of the data into a block from callocAlignedBlock() (aligned by hand inside a larger make) and writes it with unix.Write or unix.Pwrite at counter * 4096, reads existing blocks back with unix.Pread, and reads a superblock into a plain make([]byte) (modelled on yottaStore/golang's src/yfs/direct package, Write(), Append() and utils.go alignment()).
// zdio-category: within-function
package direct

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

const (
	AlignSize = 4096
	BlockSize = 4096
	superSize = 512
)

func alignment(block []byte, align int) int {
	return int(uintptr(unsafe.Pointer(&block[0])) & uintptr(align-1))
}

// callocAlignedBlock returns n zeroed blocks that start on an AlignSize boundary.
func callocAlignedBlock(n int) []byte {
	raw := make([]byte, n*BlockSize+AlignSize)
	a := alignment(raw, AlignSize)
	offset := 0
	if a != 0 {
		offset = AlignSize - a
	}
	return raw[offset : offset+n*BlockSize]
}

// Write replaces the file with data, one block per write.
func Write(path string, data []byte) error {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CREAT|unix.O_TRUNC|unix.O_DIRECT, 0666) // zdio-expect-site: o_direct_open
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer unix.Close(fd)

	for counter := 0; ; counter++ {
		block := callocAlignedBlock(1)
		lower := counter * BlockSize
		upper := lower + BlockSize
		if upper > len(data) {
			upper = len(data)
		}
		copy(block, data[lower:upper])
		if _, err := unix.Write(fd, block); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
			return fmt.Errorf("write %s: %w", path, err)
		}
		if upper >= len(data) {
			break
		}
	}
	return nil
}

// Append reads the blocks up to the first zero byte and rewrites them followed by data.
func Append(path string, data []byte) error {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_DIRECT, 0666) // zdio-expect-site: o_direct_open
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer unix.Close(fd)

	buffer := callocAlignedBlock(1)
	current := make([]byte, 0)
	for counter := int64(0); ; counter++ {
		n, err := unix.Pread(fd, buffer, counter*BlockSize) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		end := bytes.IndexByte(buffer[:n], 0)
		if end < 0 {
			end = n
		}
		current = append(current, buffer[:end]...)
		if n < BlockSize || end < BlockSize {
			break
		}
	}

	data = append(current, data...)
	for counter := 0; ; counter++ {
		buffer = callocAlignedBlock(1)
		lower := counter * BlockSize
		upper := lower + BlockSize
		if upper > len(data) {
			upper = len(data)
		}
		copy(buffer, data[lower:upper])
		if _, err := unix.Pwrite(fd, buffer, int64(lower)); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
			return fmt.Errorf("write %s: %w", path, err)
		}
		if upper >= len(data) {
			break
		}
	}
	return nil
}

// Generation reads the generation counter kept in the first bytes of the superblock.
func Generation(path string) (uint64, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECT, 0) // zdio-expect-site: o_direct_open
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)

	super := make([]byte, superSize)
	if _, err := unix.Pread(fd, super, 0); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002, zdio-expect-none: ZDIO003
		return 0, err
	}
	return binary.LittleEndian.Uint64(super[:8]), nil
}

// Pattern: a sparse-file sync that copies the data intervals of a file through the package's O_DIRECT helpers with a batch buffer from its aligned allocator, and stamps a header from a plain make, a short footer and a checksum block (modelled on longhorn's sparse-tools sparse/client.go and sparse/file.go, which send data intervals read with directfio.ReadAt).
// zdio-category: go-package
package sparse

import (
	"crypto/sha512"
	"encoding/binary"
	"os"
)

// Interval is a data extent [Begin, End) of a sparse file, in bytes.
type Interval struct {
	Begin int64
	End   int64
}

const batchBlocks = 32

func syncIntervals(dst, src *os.File, intervals []Interval) error {
	buf := AllocateAligned(batchBlocks * BlockSize)
	for _, iv := range intervals {
		for off := iv.Begin; off < iv.End; off += int64(len(buf)) {
			n := int64(len(buf))
			if iv.End-off < n {
				n = iv.End - off
			}
			if _, err := ReadAt(src, buf[:n], off); err != nil { // zdio-expect-none: ZDIO001
				return err
			}
			if _, err := WriteAt(dst, buf[:n], off); err != nil { // zdio-expect-none: ZDIO001
				return err
			}
		}
	}
	return nil
}

func writeHeader(dst *os.File, size int64) error {
	hdr := make([]byte, BlockSize)
	binary.LittleEndian.PutUint64(hdr, uint64(size))
	_, err := WriteAt(dst, hdr, 0) // zdio-expect: ZDIO001, zdio-expect-none: ZDIO002, ZDIO003, ZDIO004
	return err
}

func writeFooter(dst *os.File, size int64, sum []byte) error {
	footer := AllocateAligned(BlockSize)
	copy(footer, sum)
	_, err := WriteAt(dst, footer[:sha512.Size], size) // zdio-expect: ZDIO002, zdio-expect-none: ZDIO001
	return err
}

func checksumBlock(src *os.File, index int64) ([]byte, error) {
	blk := AllocateAligned(BlockSize)
	if _, err := ReadAt(src, blk, index*BlockSize); err != nil { // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		return nil, err
	}
	sum := sha512.Sum512(blk)
	return sum[:], nil
}

func writeIndexBlock(dst *os.File) error {
	_, err := WriteAt(dst, AllocateAligned(BlockSize), 16*BlockSize) // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	return err
}

// SyncFile copies the data intervals of srcPath to dstPath, both opened with O_DIRECT.
func SyncFile(srcPath, dstPath string, size int64, intervals []Interval) error {
	src, err := OpenFile(srcPath, os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := OpenFile(dstPath, os.O_RDWR|os.O_CREATE, 0666)
	if err != nil {
		return err
	}
	defer dst.Close()
	if err := writeHeader(dst, size); err != nil {
		return err
	}
	if err := syncIntervals(dst, src, intervals); err != nil {
		return err
	}
	if err := writeIndexBlock(dst); err != nil {
		return err
	}
	sum, err := checksumBlock(src, 3)
	if err != nil {
		return err
	}
	return writeFooter(dst, size, sum)
}

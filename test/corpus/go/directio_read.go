// Pattern: reading a file with O_DIRECT in one function: a make([]byte) header, an AlignedBlock body and io.ReadFull, with errors wrapped (modelled on users of github.com/ncw/directio, whose AlignedBlock and OpenFile they call, e.g. minio's O_DIRECT readers).
// zdio-category: within-function
package dioread

import (
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/ncw/directio"
)

const headerSize = 512

// ReadImage returns the header and the first block of an image file.
func ReadImage(path string) ([]byte, []byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_DIRECT, 0) // zdio-expect-site: o_direct_open
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()

	header := make([]byte, headerSize)
	if _, err := f.ReadAt(header, 0); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
		return nil, nil, fmt.Errorf("read header: %w", err)
	}

	block := directio.AlignedBlock(directio.BlockSize * 4)
	if _, err := io.ReadFull(f, block); err != nil { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		return nil, nil, fmt.Errorf("read first block: %w", err)
	}

	trailer := directio.AlignedBlock(directio.BlockSize)
	if _, err := f.ReadAt(trailer, 3*headerSize); err != nil && err != io.EOF { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO003
		return nil, nil, fmt.Errorf("read trailer: %w", err)
	}
	return header, block, nil
}

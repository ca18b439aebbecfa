// Pattern: a small direct-I/O package whose private open helper adds O_DIRECT to every flag set, with exported ReadFile/WriteFile that read whole aligned blocks and write the caller's slice as it is, and callers that pass it a literal and an aligned block (modelled on essentialkaos/ek's directio package, directio_linux.go openFile() and directio.go ReadFile()/WriteFile()).
// zdio-category: cross-function
package directio

import (
	"io"
	"os"
	"syscall"
	"unsafe"
)

const (
	BLOCK_SIZE = 4096 // minimal block size
	ALIGN_SIZE = 4096 // memory alignment
)

func openFile(file string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(file, syscall.O_DIRECT|flag, perm) // zdio-expect-site: o_direct_open
}

func alignment(block []byte, align int) int {
	return int(uintptr(unsafe.Pointer(&block[0])) & uintptr(align-1))
}

func allocateBlock() []byte {
	block := make([]byte, BLOCK_SIZE+ALIGN_SIZE)
	a := alignment(block, ALIGN_SIZE)
	offset := 0
	if a != 0 {
		offset = ALIGN_SIZE - a
	}
	return block[offset : offset+BLOCK_SIZE]
}

// ReadFile reads the whole file one aligned block at a time.
func ReadFile(file string) ([]byte, error) {
	fd, err := openFile(file, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	var data []byte
	block := allocateBlock()
	for {
		n, err := io.ReadFull(fd, block) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002
		data = append(data, block[:n]...)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// WriteFile writes data to the start of file, which it creates or truncates.
func WriteFile(file string, data []byte, perm os.FileMode) error {
	fd, err := openFile(file, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	defer fd.Close()
	_, err = fd.Write(data) // zdio-expect-site: o_direct_io
	return err
}

// SaveMarker and SaveBlock are the package's own users of WriteFile.
func SaveMarker(path string) error {
	return WriteFile(path, []byte("ek-directio marker\n"), 0o644) // zdio-expect: ZDIO001, ZDIO002
}

func SaveBlock(path string) error {
	block := allocateBlock()
	copy(block, "ek-directio block")
	return WriteFile(path, block, 0o644) // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001
}

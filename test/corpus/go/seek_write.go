// Pattern: Write and Read at the implicit position of an O_DIRECT *os.File: a truncating open, two sequential block writes, then Seek to a sector and a Read (modelled on Go writers that stream AlignedBlock buffers from github.com/ncw/directio with f.Write).
// zdio-category: implicit-position
package stream

import (
	"io"
	"os"
	"syscall"

	"github.com/ncw/directio"
)

func Rewrite(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC|syscall.O_DIRECT, 0o644) // zdio-expect-site: o_direct_open
	if err != nil {
		return err
	}
	defer f.Close()
	block := directio.AlignedBlock(8192)
	if _, err := f.Write(block); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
		return err
	}
	if _, err := f.Write(block); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
		return err
	}
	if _, err := f.Seek(512, io.SeekStart); err != nil {
		return err
	}
	page := directio.AlignedBlock(directio.BlockSize)
	if _, err := f.Read(page); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO003
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err = io.ReadFull(f, page) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO003
	return err
}

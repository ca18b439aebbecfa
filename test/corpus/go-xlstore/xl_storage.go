// Pattern: a storage layer that opens shard files with the package's O_DIRECT helper when its drive allows it, writes whole aligned blocks, drops O_DIRECT before the short tail, and also stamps a small format header and reads metadata through the direct handle (modelled on minio's cmd/xl-storage.go, writeAllDirect() and its O_DIRECT pools).
// zdio-category: go-package
package xlstore

import (
	"errors"
	"fmt"
	"io"
	"os"
)

const (
	blockSizeLarge = 1 << 20
	formatHeader   = "XL2 1 "
	metaReadSize   = 1024
)

type XLStorage struct {
	drivePath string
	oDirect   bool
}

// WriteShard stores a shard as whole 1 MiB blocks followed by an unaligned tail.
func (s *XLStorage) WriteShard(path string, r io.Reader) error {
	w, err := OpenFileDirectIO(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o666)
	if err != nil {
		return fmt.Errorf("open shard: %w", err)
	}
	defer w.Close()

	if _, err := w.Write([]byte(formatHeader)); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
		return err
	}

	buf := AlignedBlock(blockSizeLarge)
	if _, err := w.WriteAt(buf, blockSizeLarge); err != nil { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO004
		return err
	}
	if _, err := w.WriteAt(buf[:8192], 3*blockSizeLarge); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
		return err
	}

	n, err := io.ReadFull(r, buf[:4000])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return err
	}
	if err := DisableDirectIO(w); err != nil {
		return err
	}
	_, err = w.WriteAt(buf[:4000], 4*blockSizeLarge) // zdio-expect-none: o_direct_io, ZDIO002
	_ = n
	return err
}

// ReadMeta reads the metadata block of a shard with the drive's open mode.
func (s *XLStorage) ReadMeta(path string) ([]byte, error) {
	f, err := OpenFileDirectIO(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	meta := make([]byte, metaReadSize)
	if _, err := f.ReadAt(meta, 0); err != nil && err != io.EOF { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
		return nil, err
	}
	return meta, nil
}

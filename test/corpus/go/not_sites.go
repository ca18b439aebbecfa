// Pattern: a FUSE server that implements CopyFileRange and reports O_DIRECT in open flags, dedupes with FIDEDUPERANGE, and reads with aligned blocks (modelled on go-fuse's fuse/api.go RawFileSystem.CopyFileRange and loopback file system, and x/sys/unix's IoctlFileDedupeRange).
// zdio-category: negative
package loopfs

import (
	"log"
	"os"
	"syscall"

	"github.com/ncw/directio"
	"golang.org/x/sys/unix"
)

type CopyFileRangeIn struct {
	FhIn, OffIn, FhOut, OffOut, Len, Flags uint64
}

type Server struct {
	files map[uint64]*os.File
}

// CopyFileRange serves the kernel's request by reading and writing; it is not a copy_file_range call.
func (s *Server) CopyFileRange(in *CopyFileRangeIn) (uint32, syscall.Errno) { // zdio-expect-none: copy_file_range
	src, dst := s.files[in.FhIn], s.files[in.FhOut]
	if src == nil || dst == nil {
		return 0, syscall.EBADF
	}
	buf := make([]byte, in.Len)
	n, err := src.ReadAt(buf, int64(in.OffIn))
	if err != nil && n == 0 {
		return 0, syscall.EIO
	}
	w, err := dst.WriteAt(buf[:n], int64(in.OffOut))
	if err != nil {
		return uint32(w), syscall.EIO
	}
	return uint32(w), 0
}

func describeOpen(flags uint32) string {
	if flags&unix.O_DIRECT != 0 {
		return "direct"
	}
	return "buffered"
}

func dedupe(src, dst *os.File, length uint64) error {
	req := unix.FileDedupeRange{
		Src_offset: 0,
		Src_length: length,
		Info:       []unix.FileDedupeRangeInfo{{Dest_fd: int64(dst.Fd()), Dest_offset: 0}},
	}
	return unix.IoctlFileDedupeRange(int(src.Fd()), &req) // zdio-expect-none: ficlone
}

// ReadAligned is what direct reads should look like.
func ReadAligned(path string) ([]byte, error) {
	f, err := directio.OpenFile(path, os.O_RDONLY, 0) // zdio-expect-site: o_direct_open
	if err != nil {
		return nil, err
	}
	defer f.Close()
	block := directio.AlignedBlock(32 * directio.BlockSize)
	if _, err := f.ReadAt(block, 64*directio.BlockSize); err != nil { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		return nil, err
	}
	log.Printf("read %s with %s I/O", path, describeOpen(uint32(os.O_RDONLY|syscall.O_DIRECT)))
	return block, nil
}

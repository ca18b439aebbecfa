// Pattern: the open flags and the chunk size chosen together by an if/else on a direct option, once with a sector on the direct side and once with a page on the direct side and an odd size on the buffered side (modelled on the direct=/bs= switch of fio's filesetup.c, as a Go tool would write it).
// zdio-category: branch-correlated
package chunks

import (
	"os"
	"syscall"

	"github.com/ncw/directio"
)

func ReadFirst(path string, direct bool) ([]byte, error) {
	flags := os.O_RDONLY
	var size int
	if direct {
		flags |= syscall.O_DIRECT
		size = 512
	} else {
		size = 4096
	}
	f, err := os.OpenFile(path, flags, 0) // zdio-expect-site: o_direct_open
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := directio.AlignedBlock(4096)
	n, err := f.ReadAt(buf[:size], 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO002
	return buf[:n], err
}

func ReadIndex(path string, direct bool) ([]byte, error) {
	flags := os.O_RDONLY
	var buf []byte
	if direct {
		flags |= syscall.O_DIRECT
		buf = directio.AlignedBlock(4096)
	} else {
		buf = make([]byte, 100)
	}
	f, err := os.OpenFile(path, flags, 0) // zdio-expect-site: o_direct_open
	if err != nil {
		return nil, err
	}
	defer f.Close()
	n, err := f.ReadAt(buf, 0) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002
	return buf[:n], err
}

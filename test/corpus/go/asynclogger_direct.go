// Pattern: an async logger that opens its log with syscall.Open(O_WRONLY|O_APPEND|O_CREAT|O_DIRECT|O_DSYNC), wraps it with os.NewFile, and writes through helpers that pad to the block size into hand-aligned buffers from a sync.Pool, writing an already aligned length directly (modelled on the asynclogger package's direct I/O file, openDirectIO(), allocAlignedBuffer(), writeAligned(), ensureFileOffsetAligned() and writevAligned()).
// zdio-category: go-package
package asynclogger

import (
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

const alignmentSize = 4096

var flushBufferPool = sync.Pool{
	New: func() interface{} {
		buf := allocAlignedBuffer(8 * 1024 * 1024)
		return &buf
	},
}

func openDirectIO(path string) (*os.File, error) {
	fd, err := syscall.Open(path, syscall.O_WRONLY|syscall.O_APPEND|syscall.O_CREAT|syscall.O_DIRECT|syscall.O_DSYNC, 0644) // zdio-expect-site: o_direct_open
	if err != nil {
		return nil, fmt.Errorf("open with O_DIRECT: %w", err)
	}
	return os.NewFile(uintptr(fd), path), nil
}

func allocAlignedBuffer(size int) []byte {
	alignedSize := ((size + alignmentSize - 1) / alignmentSize) * alignmentSize
	buf := make([]byte, alignedSize+alignmentSize)
	addr := uintptr(unsafe.Pointer(&buf[0]))
	offset := int(alignmentSize - (addr % alignmentSize))
	if offset == alignmentSize {
		offset = 0
	}
	return buf[offset : offset+alignedSize]
}

func isAddressAligned(buf []byte) bool {
	return len(buf) == 0 || uintptr(unsafe.Pointer(&buf[0]))%alignmentSize == 0
}

// writeAligned pads data to the block size in a pooled aligned buffer; a length that is already
// a block multiple is written as it is, from wherever the caller's bytes live.
func writeAligned(file *os.File, data []byte) (int, error) {
	if len(data) == 0 {
		return 0, nil
	}
	alignedSize := ((len(data) + alignmentSize - 1) / alignmentSize) * alignmentSize
	if len(data) == alignedSize {
		return file.Write(data) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO002
	}
	bufPtr := flushBufferPool.Get().(*[]byte)
	defer flushBufferPool.Put(bufPtr)
	alignedBuf := *bufPtr
	if cap(alignedBuf) < alignedSize {
		alignedBuf = allocAlignedBuffer(alignedSize)
	} else {
		alignedBuf = alignedBuf[:alignedSize]
	}
	copy(alignedBuf, data)
	for i := len(data); i < alignedSize; i++ {
		alignedBuf[i] = 0
	}
	n, err := file.Write(alignedBuf[:alignedSize]) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002
	if n > len(data) {
		n = len(data)
	}
	return n, err
}

func ensureFileOffsetAligned(file *os.File) error {
	st, err := file.Stat()
	if err != nil {
		return err
	}
	if st.Size()%alignmentSize != 0 {
		zeroBuf := allocAlignedBuffer(alignmentSize)
		if _, err := unix.Writev(int(file.Fd()), [][]byte{zeroBuf}); err != nil { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002
			return fmt.Errorf("pad to alignment: %w", err)
		}
	}
	return nil
}

func writevAligned(file *os.File, buffers [][]byte) (int, error) {
	if err := ensureFileOffsetAligned(file); err != nil {
		return 0, err
	}
	var out [][]byte
	for _, buf := range buffers {
		alignedSize := ((len(buf) + alignmentSize - 1) / alignmentSize) * alignmentSize
		if len(buf) == alignedSize && isAddressAligned(buf) {
			out = append(out, buf)
			continue
		}
		padded := allocAlignedBuffer(alignedSize)
		copy(padded, buf)
		out = append(out, padded)
	}
	if len(out) == 0 {
		return 0, nil
	}
	return unix.Writev(int(file.Fd()), out) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002
}

type shard struct {
	mu     sync.Mutex
	active []byte
	used   int
}

type Logger struct {
	file   *os.File
	shards []*shard
}

func New(path string, shards int, shardSize int) (*Logger, error) {
	f, err := openDirectIO(path)
	if err != nil {
		return nil, err
	}
	l := &Logger{file: f}
	for i := 0; i < shards; i++ {
		l.shards = append(l.shards, &shard{active: allocAlignedBuffer(shardSize)})
	}
	if err := l.writeSegmentHeader(); err != nil {
		f.Close()
		return nil, err
	}
	return l, nil
}

// writeSegmentHeader writes one block that records when the segment was opened.
func (l *Logger) writeSegmentHeader() error {
	hdr := make([]byte, alignmentSize)
	copy(hdr, "ALOG")
	binary.LittleEndian.PutUint64(hdr[8:], uint64(time.Now().UnixNano()))
	_, err := writeAligned(l.file, hdr) // zdio-expect: ZDIO001, zdio-expect-none: ZDIO002
	return err
}

func (l *Logger) LogBytes(b []byte) bool {
	s := l.shards[int(b[0])%len(l.shards)]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used+len(b) > len(s.active) {
		return false
	}
	copy(s.active[s.used:], b)
	s.used += len(b)
	return true
}

func (l *Logger) Flush() error {
	var bufs [][]byte
	for _, s := range l.shards {
		s.mu.Lock()
		if s.used > 0 {
			bufs = append(bufs, s.active[:s.used])
		}
		s.mu.Unlock()
	}
	_, err := writevAligned(l.file, bufs)
	for _, s := range l.shards {
		s.used = 0
	}
	return err
}

func (l *Logger) Close() error {
	if err := l.Flush(); err != nil {
		return err
	}
	if _, err := writeAligned(l.file, []byte("ALOG-END\n")); err != nil { // zdio-expect-none: ZDIO001, ZDIO002
		return err
	}
	return l.file.Close()
}

// Pattern: a streaming broker's data files opened with flag constants of a config package (segment files O_APPEND|O_CREATE|O_WRONLY|O_DIRECT|O_DSYNC, the producer offset file O_CREATE|O_WRONLY|O_DIRECT|O_DSYNC, the index file buffered): segment chunks go through a bytes.Buffer backed by an aligned slice and padded to the alignment, while the offset writer keeps a 12-byte make()'d slice in a struct field and writes it at 0 (modelled on polarstreams/polar's internal/conf/config_linux.go, internal/data/segment_writer.go flush() and writeAlignmentBytes(), and internal/data/offset_file_writer.go create() and write()).
// zdio-category: go-package
package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"syscall"
	"unsafe"
)

const SegmentFileWriteFlags = os.O_APPEND | os.O_CREATE | os.O_WRONLY | syscall.O_DIRECT | syscall.O_DSYNC
const IndexFileWriteFlags = os.O_APPEND | os.O_CREATE | os.O_WRONLY
const ProducerOffsetFileWriteFlags = os.O_CREATE | os.O_WRONLY | syscall.O_DIRECT | syscall.O_DSYNC

const alignmentSize = 4096
const alignmentFlag = byte(1 << 7)
const offsetFileSize = 12 // the int64 offset and its uint32 checksum

var alignmentBuffer = createAlignmentBuffer()

var errChunkTooLarge = errors.New("chunk does not fit in the segment buffer")

func createAlignmentBuffer() []byte {
	b := make([]byte, alignmentSize-1)
	for i := range b {
		b[i] = alignmentFlag
	}
	return b
}

func createAlignedByteBuffer(size int) *bytes.Buffer {
	raw := make([]byte, size+alignmentSize)
	shift := 0
	if rem := int(uintptr(unsafe.Pointer(&raw[0])) % alignmentSize); rem != 0 {
		shift = alignmentSize - rem
	}
	return bytes.NewBuffer(raw[shift : shift : shift+size])
}

type SegmentWriter struct {
	basePath      string
	segmentId     int64
	buffer        *bytes.Buffer // backed by an aligned slice; flushed before it would grow
	segmentFile   *os.File
	indexFile     *os.File
	segmentLength int64
}

func NewSegmentWriter(basePath string, bufferSize int) (*SegmentWriter, error) {
	if err := os.MkdirAll(basePath, 0o755); err != nil {
		return nil, err
	}
	s := &SegmentWriter{basePath: basePath, buffer: createAlignedByteBuffer(bufferSize)}
	if err := s.createFile(0); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *SegmentWriter) createFile(segmentId int64) error {
	s.segmentId = segmentId
	name := filepath.Join(s.basePath, segmentFileName(segmentId))
	f, err := os.OpenFile(name, SegmentFileWriteFlags, 0o644) // zdio-expect-site: o_direct_open
	if err != nil {
		return err
	}
	idx, err := os.OpenFile(name+".index", IndexFileWriteFlags, 0o644) // zdio-expect-none: o_direct_open
	if err != nil {
		f.Close()
		return err
	}
	s.segmentFile, s.indexFile = f, idx
	return nil
}

func segmentFileName(id int64) string {
	return string(rune('0'+id%10)) + ".dlog"
}

func (s *SegmentWriter) writeAlignmentBytes() {
	rem := s.buffer.Len() % alignmentSize
	if rem == 0 {
		return
	}
	s.buffer.Write(alignmentBuffer[0 : alignmentSize-rem])
}

func (s *SegmentWriter) flush() error {
	s.writeAlignmentBytes()
	buf := s.buffer.Bytes()
	if _, err := s.segmentFile.Write(buf); err != nil { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		return err
	}
	var entry [16]byte
	binary.BigEndian.PutUint64(entry[0:], uint64(s.segmentId))
	binary.BigEndian.PutUint64(entry[8:], uint64(s.segmentLength))
	if _, err := s.indexFile.Write(entry[:]); err != nil { // zdio-expect-none: o_direct_io, ZDIO001, ZDIO002
		return err
	}
	s.segmentLength += int64(len(buf))
	s.buffer.Reset()
	return nil
}

func (s *SegmentWriter) Append(body []byte, startOffset int64) error {
	if len(body)+21+alignmentSize > s.buffer.Cap() {
		return errChunkTooLarge
	}
	if s.buffer.Len()+len(body)+21+alignmentSize > s.buffer.Cap() {
		if err := s.flush(); err != nil {
			return err
		}
	}
	head := s.buffer.Len()
	binary.Write(s.buffer, binary.BigEndian, byte(0))
	binary.Write(s.buffer, binary.BigEndian, uint32(len(body)))
	binary.Write(s.buffer, binary.BigEndian, startOffset)
	binary.Write(s.buffer, binary.BigEndian, crc32.ChecksumIEEE(s.buffer.Bytes()[head:]))
	s.buffer.Write(body)
	return nil
}

// offsetFileWriter keeps the last producer offset in a single small file.
type offsetFileWriter struct {
	file   *os.File
	buf    []byte
	writer *bytes.Buffer
}

func (w *offsetFileWriter) create(basePath string) error {
	f, err := os.OpenFile(filepath.Join(basePath, "producer.offset"), ProducerOffsetFileWriteFlags, 0o644) // zdio-expect-site: o_direct_open
	if err != nil {
		return err
	}
	w.file = f
	w.buf = make([]byte, offsetFileSize)
	w.writer = bytes.NewBuffer(w.buf)
	return nil
}

func (w *offsetFileWriter) write(value int64) error {
	w.writer.Reset()
	binary.Write(w.writer, binary.BigEndian, value)
	binary.Write(w.writer, binary.BigEndian, crc32.ChecksumIEEE(w.writer.Bytes()))
	_, err := w.file.WriteAt(w.buf, 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002, zdio-expect-none: ZDIO003
	return err
}

func (w *offsetFileWriter) close() error {
	_ = w.file.Sync()
	return w.file.Close()
}

// Pattern: a VM snapshot page-fault handler that records the guest pages touched on the first run as a trace of page-number regions, writes those pages to a working-set file with ordinary buffered writes, and on later runs reads the whole working set back in one O_DIRECT read into a buffer it aligns by hand (make of size plus a page, then a slice from the first aligned address), whose length is the number of traced pages times os.Getpagesize() (modelled on vHive's memory/manager/snapshot_state.go, AlignedBlock(), alignment(), fetchState() and writeWorkingSetPagesToFile()).
// zdio-category: negative
package manager

import (
	"fmt"
	"os"
	"sort"
	"syscall"
	"unsafe"
)

type Trace struct {
	regions map[uint64]int // first page offset -> number of pages
	records int
}

func (t *Trace) AppendRecord(offset uint64) {
	if t.regions == nil {
		t.regions = make(map[uint64]int)
	}
	if _, seen := t.regions[offset]; seen {
		return
	}
	t.regions[offset] = 1
	t.records++
}

type SnapshotState struct {
	WorkingSetPath string
	GuestMemPath   string
	GuestMemSize   int

	trace      *Trace
	guestMem   []byte
	workingSet []byte
}

// alignment is the distance of the block's first byte from the previous
// multiple of alignSize.
func alignment(block []byte, alignSize int) int {
	return int(uintptr(unsafe.Pointer(&block[0])) & uintptr(alignSize-1))
}

// AlignedBlock returns a slice of blockSize bytes that starts on a page.
func AlignedBlock(blockSize int) []byte {
	alignSize := os.Getpagesize()
	block := make([]byte, blockSize+alignSize)
	a := alignment(block, alignSize)
	offset := 0
	if a != 0 {
		offset = alignSize - a
	}
	block = block[offset : offset+blockSize]
	if blockSize != 0 && alignment(block, alignSize) != 0 {
		panic("failed to align block")
	}
	return block
}

func (s *SnapshotState) sortedRegions() []uint64 {
	keys := make([]uint64, 0, len(s.trace.regions))
	for k := range s.trace.regions {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// writeWorkingSet stores the traced pages back to back, through the page
// cache: this file is written once, after the recording run.
func (s *SnapshotState) writeWorkingSet() error {
	f, err := os.OpenFile(s.WorkingSetPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600) // zdio-expect-none: o_direct_open
	if err != nil {
		return err
	}
	defer f.Close()
	pageSize := os.Getpagesize()
	for _, offset := range s.sortedRegions() {
		length := s.trace.regions[offset] * pageSize
		start := int(offset) * pageSize
		if _, err := f.Write(s.guestMem[start : start+length]); err != nil { // zdio-expect-none: o_direct_io, ZDIO001, ZDIO002
			return err
		}
	}
	return f.Sync()
}

// fetchWorkingSet reads the whole working set in one request, bypassing
// the page cache so that the read runs at disk bandwidth.
func (s *SnapshotState) fetchWorkingSet() error {
	size := s.trace.records * os.Getpagesize()

	f, err := os.OpenFile(s.WorkingSetPath, os.O_RDONLY|syscall.O_DIRECT, 0o600) // zdio-expect-site: o_direct_open
	if err != nil {
		return fmt.Errorf("open working set for direct I/O: %w", err)
	}
	defer f.Close()

	s.workingSet = AlignedBlock(size)
	n, err := f.Read(s.workingSet) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	if err != nil || n != size {
		return fmt.Errorf("read working set: %d of %d bytes: %v", n, size, err)
	}
	return nil
}

func (s *SnapshotState) mapGuestMemory() error {
	f, err := os.OpenFile(s.GuestMemPath, os.O_RDONLY, 0o444) // zdio-expect-none: o_direct_open
	if err != nil {
		return err
	}
	defer f.Close()
	s.guestMem, err = syscall.Mmap(int(f.Fd()), 0, s.GuestMemSize, syscall.PROT_READ, syscall.MAP_PRIVATE)
	return err
}

func Replay(s *SnapshotState, record bool, touched []uint64) error {
	if err := s.mapGuestMemory(); err != nil {
		return err
	}
	defer syscall.Munmap(s.guestMem)
	if record {
		s.trace = &Trace{}
		for _, page := range touched {
			s.trace.AppendRecord(page)
		}
		return s.writeWorkingSet()
	}
	return s.fetchWorkingSet()
}

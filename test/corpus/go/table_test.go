// Pattern: a table-driven test whose rows give offset and size, read in a range loop from an O_DIRECT file into AlignedBlock buffers (modelled on LTP's tcases[] tables, written as a Go table-driven test).
// zdio-category: table
package directio_test

import (
	"os"
	"syscall"
	"testing"

	"github.com/ncw/directio"
)

func TestDirectReads(t *testing.T) {
	f, err := os.OpenFile("testdata/image.bin", os.O_RDONLY|syscall.O_DIRECT, 0) // zdio-expect-site: o_direct_open
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	tests := []struct {
		name string
		off  int64
		size int
	}{
		{"one block", 0, 4096},
		{"short", 0, 1000},           // zdio-expect: ZDIO002
		{"sector offset", 512, 4096}, // zdio-expect: ZDIO003
		{"record", 131072, 131072},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			buf := directio.AlignedBlock(tc.size)
			if _, err := f.ReadAt(buf, tc.off); err != nil { // zdio-expect-site: o_direct_io
				t.Logf("%s: %v", tc.name, err)
			}
		})
	}
}

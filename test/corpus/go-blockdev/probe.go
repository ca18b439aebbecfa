// Pattern: a probe in another file of the package that opens with the package's flag constant and reads the GPT header sector at LBA 1 (modelled on GPT readers that check LBA 1 for the "EFI PART" signature, with KarpelesLab/reflink's split of constants and code).
// zdio-category: go-package
package blockdev

import (
	"bytes"
	"fmt"
	"os"
)

// HasGPT reads LBA 1 and checks the GPT signature.
func HasGPT(device string) (bool, error) {
	f, err := os.OpenFile(device, directRead, 0) // zdio-expect-site: o_direct_open
	if err != nil {
		return false, fmt.Errorf("open %s: %w", device, err)
	}
	defer f.Close()
	sector := make([]byte, sectorSize)
	if _, err := f.ReadAt(sector, gptHeaderLBA*sectorSize); err != nil { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002, ZDIO003
		return false, err
	}
	return bytes.HasPrefix(sector, []byte("EFI PART")), nil
}

// Wipe zeroes the first sector, the way disk tools clear a protective MBR.
func Wipe(device string) error {
	f, err := os.OpenFile(device, directWrite, 0) // zdio-expect-site: o_direct_open
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteAt(make([]byte, sectorSize), 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
	return err
}

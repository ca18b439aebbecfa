// Pattern: open flags and the sector size as constants in one file of a package (modelled on the package-constant file of github.com/KarpelesLab/reflink, const.go, applied to a block-device package).
// zdio-category: go-package
package blockdev

import (
	"os"
	"syscall"
)

const (
	directRead   = os.O_RDONLY | syscall.O_DIRECT
	directWrite  = os.O_WRONLY | syscall.O_DIRECT
	sectorSize   = 512
	gptHeaderLBA = 1
)

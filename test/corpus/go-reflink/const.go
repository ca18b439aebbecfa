// Pattern: the clone ioctl numbers as package constants in their own file, not found in the syscall package (modelled on github.com/KarpelesLab/reflink's const.go).
// zdio-category: go-package
package reflink

import "errors"

// From linux/fs.h:
//
//	#define FICLONE      _IOW(0x94, 9, int)
//	#define FICLONERANGE _IOW(0x94, 13, struct file_clone_range)
const (
	FICLONE      = 0x40049409
	FICLONERANGE = 0x4020940d
)

// ErrNoSharing means the file system refused to share the extents; the caller copies instead.
var ErrNoSharing = errors.New("reflink: extents cannot be shared here")

// Pattern: the package's public entry point, cloning a fixed-size header with PartialReflink before the whole file (modelled on the exported functions of github.com/KarpelesLab/reflink that wrap the whole-file clone with a fallback).
// zdio-category: go-package
package reflink

import (
	"errors"
	"os"
	"syscall"
)

const imageHeader = 64 << 10

// Always clones src to dst, or fails.
func Always(src, dst string) error {
	s, err := os.Open(src)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := PartialReflink(d, s, 0, 0, imageHeader); err != nil { // zdio-expect: ZDIO020
		if errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.EXDEV) {
			return ErrNoSharing
		}
		return err
	}
	return cloneWhole(d, s)
}

# Pattern: the clone ioctl numbers computed with a local _IOW() helper instead of literals, FICLONE for whole files and FICLONERANGE with struct.pack for a leading range (modelled on the _IOW(0x94, 9, int) definition quoted in KarpelesLab/reflink's const.go and bazel-lib's clonefile_linux.go, computed in Python).
# zdio-category: call-form
import fcntl
import os
import struct

_IOC_WRITE = 1
_IOC_NRSHIFT = 0
_IOC_TYPESHIFT = 8
_IOC_SIZESHIFT = 16
_IOC_DIRSHIFT = 30


def _IOW(type_, nr, size):
    return (_IOC_WRITE << _IOC_DIRSHIFT) | (size << _IOC_SIZESHIFT) | (type_ << _IOC_TYPESHIFT) | (nr << _IOC_NRSHIFT)


FICLONE = _IOW(0x94, 9, 4)
FICLONERANGE = _IOW(0x94, 13, struct.calcsize("qQQQ"))


def reflink(src_path, dst_path):
    with open(src_path, "rb") as src, open(dst_path, "wb") as dst:
        fcntl.ioctl(dst.fileno(), FICLONE, src.fileno())  # zdio-expect-site: ficlone


def reflink_head(src_path, dst_path, length=65536):
    with open(src_path, "rb") as src, open(dst_path, "r+b") as dst:
        arg = struct.pack("qQQQ", src.fileno(), 0, length, 0)
        fcntl.ioctl(dst.fileno(), FICLONERANGE, arg)  # zdio-expect-site: ficlone


def clone_boot_sector(src_path, dst_path):
    reflink_head(src_path, dst_path, 512)  # zdio-expect: ZDIO020


if __name__ == "__main__":
    import sys

    reflink(sys.argv[1], sys.argv[2])
    os.sync()

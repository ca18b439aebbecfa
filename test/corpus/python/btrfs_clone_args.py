# Pattern: ioctl request numbers computed by _IOC/_IOW functions from a struct.Struct's size, the clone-range arguments kept as a module-level struct.Struct and packed by a wrapper that takes the range as parameters, called by an extent-sharing tool with constant ranges and with extents found at run time (modelled on python-btrfs's btrfs/ioctl.py, ioctl_clone_range_args and clone_range(), and the deduplication tools built on it).
# zdio-category: call-form
import fcntl
import os
import struct
import sys

_IOC_NRBITS = 8
_IOC_TYPEBITS = 8
_IOC_SIZEBITS = 14
_IOC_NRSHIFT = 0
_IOC_TYPESHIFT = _IOC_NRSHIFT + _IOC_NRBITS
_IOC_SIZESHIFT = _IOC_TYPESHIFT + _IOC_TYPEBITS
_IOC_DIRSHIFT = _IOC_SIZESHIFT + _IOC_SIZEBITS
_IOC_WRITE = 1


def _IOC(direction, type_, nr, size):
    return (direction << _IOC_DIRSHIFT) | (type_ << _IOC_TYPESHIFT) | (nr << _IOC_NRSHIFT) | (size << _IOC_SIZESHIFT)


def _IOW(type_, nr, layout):
    return _IOC(_IOC_WRITE, type_, nr, layout.size)


BTRFS_IOCTL_MAGIC = 0x94
ioctl_clone_range_args = struct.Struct("=qQQQ")
ioctl_clone_args = struct.Struct("=i")
IOC_CLONE = _IOW(BTRFS_IOCTL_MAGIC, 9, ioctl_clone_args)
IOC_CLONE_RANGE = _IOW(BTRFS_IOCTL_MAGIC, 13, ioctl_clone_range_args)

RECORD = 128 * 1024
SUPERBLOCK_OFFSET = 64 * 1024
SUPERBLOCK_SIZE = 4096
DATA_START = 3 * RECORD


def clone_range(src_fd, src_offset, src_length, dest_fd, dest_offset):
    args = ioctl_clone_range_args.pack(src_fd, src_offset, src_length, dest_offset)
    fcntl.ioctl(dest_fd, IOC_CLONE_RANGE, args)  # zdio-expect-site: ficlone, zdio-expect-none: ZDIO020


def clone_file(src_fd, dest_fd):
    fcntl.ioctl(dest_fd, IOC_CLONE, src_fd)  # zdio-expect-site: ficlone


def share_superblock(src, dst):
    clone_range(src.fileno(), SUPERBLOCK_OFFSET, SUPERBLOCK_SIZE, dst.fileno(), SUPERBLOCK_OFFSET)  # zdio-expect: ZDIO020


def share_data(src, dst, nrecords):
    clone_range(src.fileno(), DATA_START, nrecords * RECORD, dst.fileno(), DATA_START)  # zdio-expect-none: ZDIO020


def share_head(src, dst):
    clone_range(src.fileno(), 0, 2 * RECORD, dst.fileno(), 0)  # zdio-expect-none: ZDIO020


def share_extents(src, dst, extents):
    for logical, length in extents:
        clone_range(src.fileno(), logical, length, dst.fileno(), logical)  # zdio-expect-none: ZDIO020


def read_extents(path):
    """Extents as "offset length" lines, as a FIEMAP helper prints them."""
    with open(path) as f:
        return [tuple(int(v) for v in line.split()) for line in f if line.strip()]


def main(argv):
    src_path, dst_path = argv[1], argv[2]
    with open(src_path, "rb") as src, open(dst_path, "r+b") as dst:
        if len(argv) == 3:
            clone_file(src.fileno(), dst.fileno())
            return 0
        share_head(src, dst)
        share_superblock(src, dst)
        share_data(src, dst, 8)
        share_extents(src, dst, read_extents(argv[3]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

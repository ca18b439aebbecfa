# Pattern: a reflink-range tool that spells FICLONERANGE as its own number (0x4020940d), packs struct file_clone_range with struct.pack("qQQQ") in a helper, calls the bare ioctl imported from fcntl, and defaults the destination offset to the destination's size from os.fstat; used both from argparse options and by an image assembler with a fixed layout (modelled on the ficlonerange command-line scripts with struct_file_clone_range(), -s/-l/-d options and errno-specific messages).
# zdio-category: call-form
import argparse
import errno
import os
import struct
import sys
from fcntl import ioctl

FICLONERANGE = 0x4020940d

RECORD = 128 * 1024


def struct_file_clone_range(src_fd, src_offset, src_length, dst_offset):
    return struct.pack("qQQQ", src_fd, src_offset, src_length, dst_offset)


def file_clone_range(src_fd, dst_fd, s=0, length=0, d=None):
    if d is None:
        d = os.fstat(dst_fd).st_size
    return ioctl(dst_fd, FICLONERANGE, struct_file_clone_range(src_fd, s, length, d))  # zdio-expect-site: ficlone


def explain(e):
    if e.errno == errno.EXDEV:
        return "src and dest are not on the same mounted filesystem"
    if e.errno == errno.EINVAL:
        return "the ranges are not aligned to the filesystem block size, or overlap"
    if e.errno in (errno.EOPNOTSUPP, errno.EBADF):
        return "the filesystem does not support reflink"
    return os.strerror(e.errno)


def assemble(base_path, out_path):
    """Builds an image from a base: boot record, two data records and a tail."""
    src_fd = os.open(base_path, os.O_RDONLY)
    dst_fd = os.open(out_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        file_clone_range(src_fd, dst_fd, 0, 0, 0)  # zdio-expect-none: ZDIO020
        file_clone_range(src_fd, dst_fd, RECORD, 2 * RECORD, RECORD)  # zdio-expect-none: ZDIO020
        file_clone_range(src_fd, dst_fd, 4096, RECORD, 4096)  # zdio-expect: ZDIO020
        file_clone_range(src_fd, dst_fd, 0, 64 * 1024)  # zdio-expect: ZDIO020
        file_clone_range(src_fd, dst_fd, 2 * RECORD, RECORD)  # zdio-expect-none: ZDIO020
    except OSError as e:
        print("FICLONERANGE: " + explain(e), file=sys.stderr)
        return 3
    finally:
        os.close(src_fd)
        os.close(dst_fd)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description="Reflink bytes from src to dest.")
    parser.add_argument("-s", type=int, default=0, help="source offset in bytes")
    parser.add_argument("-l", type=int, default=0, help="bytes to reflink (0: to the end)")
    parser.add_argument("-d", type=int, help="destination offset (default: end of dest)")
    parser.add_argument("src")
    parser.add_argument("dest")
    args = parser.parse_args(argv)

    src_fd = os.open(args.src, os.O_RDONLY)
    dst_fd = os.open(args.dest, os.O_WRONLY)
    try:
        file_clone_range(src_fd, dst_fd, args.s, args.l, args.d)  # zdio-expect-none: ZDIO020
    except OSError as e:
        print("FICLONERANGE: " + explain(e), file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--assemble":
        sys.exit(assemble(sys.argv[2], sys.argv[3]))
    sys.exit(main())

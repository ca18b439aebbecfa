# Pattern: os.write and os.readv at the implicit file position of an O_DIRECT descriptor: truncating open, two sequential writes from an mmap, then lseek to a sector (modelled on the sequential appends of LTP's io_append() in ltp-aiodio/common.h, written in Python).
# zdio-category: implicit-position
import mmap
import os


def rewrite(path):
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_DIRECT, 0o644)  # zdio-expect-site: o_direct_open
    try:
        block = mmap.mmap(-1, 64 * 1024)
        os.write(fd, block)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
        os.write(fd, block)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
        os.lseek(fd, 512, os.SEEK_SET)
        os.readv(fd, [block])  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO003
        os.lseek(fd, 0, os.SEEK_SET)
        os.readv(fd, [block])  # zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO003
    finally:
        os.close(fd)

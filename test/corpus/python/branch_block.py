# Pattern: open flags and read size chosen together on a direct switch: a sector on the direct side, or a page on the direct side and an odd size buffered (modelled on the direct=/bs= switch of fio's filesetup.c, as a Python tool would write it).
# zdio-category: branch-correlated
import mmap
import os


def read_first(path, direct):
    if direct:
        flags = os.O_RDONLY | os.O_DIRECT
        size = 512
    else:
        flags = os.O_RDONLY
        size = 4096
    fd = os.open(path, flags)  # zdio-expect-site: o_direct_open
    try:
        buf = mmap.mmap(-1, 4096)
        os.preadv(fd, [memoryview(buf)[:size]], 0)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO002
        return bytes(buf[:size])
    finally:
        os.close(fd)


def read_index(path, direct):
    if direct:
        flags = os.O_RDONLY | os.O_DIRECT
        buf = mmap.mmap(-1, 4096)
    else:
        flags = os.O_RDONLY
        buf = bytearray(100)
    fd = os.open(path, flags)  # zdio-expect-site: o_direct_open
    try:
        os.preadv(fd, [buf], 0)  # zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002
        return bytes(buf)
    finally:
        os.close(fd)

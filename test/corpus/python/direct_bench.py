# Pattern: a write benchmark that compares buffered writes with O_DIRECT ones, copying the payload into an anonymous mmap for the direct path, plus a ctypes DirectFile whose buffer comes from libc.posix_memalign and whose reads go through libc.pread (modelled on the Python O_DIRECT benchmark scripts that write a 4 KiB string through mmap, and on their ctypes DirectFile helper classes).
# zdio-category: within-function
import mmap
import os
import sys
import time
from ctypes import CDLL, byref, c_int, c_size_t, c_uint64, c_void_p, string_at, util

libc = CDLL(util.find_library("c"), use_errno=True)
COUNT = 256
BLOCK = 4096


def buffered(path, data):
    total = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for _ in range(COUNT):
            total += os.write(fd, data)  # zdio-expect-none: o_direct_io
    finally:
        os.close(fd)
    return total


def direct(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_DIRECT)  # zdio-expect-site: o_direct_open
    try:
        m = mmap.mmap(-1, BLOCK)
        m.write(data)
        written = os.write(fd, m)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001
        written += os.write(fd, data)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, zdio-expect-none: ZDIO004
        m.close()
    finally:
        os.close(fd)
    return written


class DirectFile:
    def __init__(self, path, block_size=BLOCK):
        self.fd = os.open(path, os.O_DIRECT | os.O_RDONLY)  # zdio-expect-site: o_direct_open
        self.block_size = block_size
        self._memalign = libc.posix_memalign
        self._memalign.argtypes = [c_void_p, c_size_t, c_size_t]
        self._pread = libc.pread
        self._pread.argtypes = [c_int, c_void_p, c_size_t, c_uint64]
        self._buf = c_void_p()
        if self._memalign(byref(self._buf), block_size, block_size) != 0:
            raise MemoryError("posix_memalign")

    def read_block(self, index):
        n = self._pread(self.fd, self._buf, self.block_size, index * self.block_size)  # zdio-expect-site: o_direct_io
        return string_at(self._buf, max(n, 0))

    def read_header(self):
        return os.pread(self.fd, 512, 0)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002

    def close(self):
        os.close(self.fd)


def main(path):
    data = b"x" * BLOCK
    start = time.monotonic()
    buffered(path, data)
    direct(path, data)
    f = DirectFile(path)
    first = f.read_block(0)
    f.read_header()
    f.close()
    print("%d bytes in %.3fs" % (len(first), time.monotonic() - start))


if __name__ == "__main__":
    main(sys.argv[1])

# Pattern: a volume scrubber that zeroes a whole device through O_DIRECT from a 4 MiB anonymous mmap at the implicit position after lseek(SEEK_END) and lseek(0), and scrubs a snapshot's copy-on-write store through a class whose libc pread/pwrite are ctypes functions kept in instance attributes, copying through posix_memalign buffers of a 512-byte alignment, with the header read and zeroed at offset 0 and exception chunks at offsets computed from the header's chunk size (modelled on rackerlabs/lunr's lunr/storage/helper/utils/scrub.py, Scrub.scrub_volume() and scrub_cow(), and its directio.RawDirect class).
# zdio-category: call-form
import ctypes
import ctypes.util
import errno
import mmap
import os
import struct
import sys
import time

libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)

BYTE_ALIGNMENT = 512
CHUNKSIZE = 4 * 1024 ** 2
HEADER_SIZE = 512
SECTOR_SHIFT = 9
SNAPSHOT_DISK_MAGIC = 0x70416E53


class ScrubError(RuntimeError):
    pass


class RawDirect:
    """An O_DIRECT descriptor whose reads and writes go through libc with memory from posix_memalign."""

    def __init__(self, path, flags=os.O_RDWR):
        self._fd = os.open(path, os.O_DIRECT | flags)  # zdio-expect-site: o_direct_open
        self._memalign = libc.posix_memalign
        self._memalign.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t]
        self._cpread = libc.pread
        self._cpread.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int64]
        self._cpread.restype = ctypes.c_ssize_t
        self._cpwrite = libc.pwrite
        self._cpwrite.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int64]
        self._cpwrite.restype = ctypes.c_ssize_t
        self._cfree = libc.free
        self._cfree.argtypes = [ctypes.c_void_p]

    def _aligned(self, length):
        if length % BYTE_ALIGNMENT:
            raise OSError(errno.EINVAL, "length %d is not a multiple of %d" % (length, BYTE_ALIGNMENT))
        c_buf = ctypes.c_void_p()
        if self._memalign(ctypes.byref(c_buf), BYTE_ALIGNMENT, length) != 0:
            raise MemoryError(length)
        return c_buf

    @staticmethod
    def _check(n):
        if n < 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))
        return n

    def pread(self, length, offset):
        c_buf = self._aligned(length)
        try:
            n = self._check(self._cpread(self._fd, c_buf, length, offset))  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
            return ctypes.string_at(c_buf, n)
        finally:
            self._cfree(c_buf)

    def pwrite(self, data, offset):
        length = len(data)
        c_buf = self._aligned(length)
        try:
            ctypes.memmove(c_buf, data, length)
            return self._check(self._cpwrite(self._fd, c_buf, length, offset))  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
        finally:
            self._cfree(c_buf)

    def close(self):
        os.close(self._fd)


def read_header(cow):
    magic, valid, version, chunk_sectors = struct.unpack_from("<IIII", cow.pread(HEADER_SIZE, 0))  # zdio-expect: ZDIO002, zdio-expect-none: ZDIO003
    if magic != SNAPSHOT_DISK_MAGIC:
        raise ScrubError("not a COW device: magic %#x" % magic)
    if version != 1:
        raise ScrubError("unknown COW metadata version %d" % version)
    if not valid:
        print("warning: COW device is not marked valid", file=sys.stderr)
    return chunk_sectors << SECTOR_SHIFT


def exception_offsets(cow, chunk_size, store):
    """Yields the data offsets listed by one exception store, zeroing the store after reading it."""
    per_chunk = chunk_size // 16
    store_offset = chunk_size * (1 + (per_chunk + 1) * store)
    table = cow.pread(chunk_size, store_offset)  # zdio-expect-none: ZDIO002, ZDIO003
    cow.pwrite(b"\0" * chunk_size, store_offset)  # zdio-expect-none: ZDIO002, ZDIO003
    for i in range(per_chunk):
        _old, new_chunk = struct.unpack_from("<QQ", table, i * 16)
        yield new_chunk * chunk_size


def scrub_cow(path):
    cow = RawDirect(path)
    try:
        chunk_size = read_header(cow)
        cow.pwrite(b"\0" * HEADER_SIZE, 0)  # zdio-expect: ZDIO002, zdio-expect-none: ZDIO003
        zeros = b"\0" * chunk_size
        count, store = 0, 0
        while True:
            for offset in exception_offsets(cow, chunk_size, store):
                if offset == 0:
                    return count
                cow.pwrite(zeros, offset)  # zdio-expect-none: ZDIO002, ZDIO003
                count += 1
            store += 1
    finally:
        cow.close()


def scrub_volume(path, throttle_mb_s=0.0):
    chunk = mmap.mmap(-1, CHUNKSIZE)
    chunk.write(b"\0" * CHUNKSIZE)  # zdio-expect-none: o_direct_io
    fd = os.open(path, os.O_DIRECT | os.O_SYNC | os.O_WRONLY)  # zdio-expect-site: o_direct_open
    try:
        size = os.lseek(fd, 0, os.SEEK_END)
        os.lseek(fd, 0, os.SEEK_SET)
        pause = CHUNKSIZE / (throttle_mb_s * 1024 ** 2) if throttle_mb_s > 0 else 0
        for _ in range(0, size, CHUNKSIZE):
            started = time.monotonic()
            os.write(fd, chunk)  # zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
            if pause:
                time.sleep(max(0.0, pause - (time.monotonic() - started)))
    finally:
        os.fsync(fd)
        os.close(fd)


def first_block_is_zero(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECT)  # zdio-expect-site: o_direct_open
    try:
        data = os.pread(fd, 4096, 0)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, zdio-expect-none: ZDIO002, ZDIO003
    finally:
        os.close(fd)
    return data.count(0) == len(data)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("volume", "cow"):
        sys.exit("usage: scrub volume|cow <device>")
    if sys.argv[1] == "volume":
        scrub_volume(sys.argv[2])
        print("zeroed" if first_block_is_zero(sys.argv[2]) else "first block not zero")
    else:
        print("scrubbed %d exceptions" % scrub_cow(sys.argv[2]))

# Pattern: a read-only array class over a file opened with O_DIRECT whose data starts at a small header offset: element ranges are widened to whole blocks and read with os.preadv into an mmap buffer, while the header and a first-row shortcut read at the raw offset (modelled on jtc1246's direct-mmap package, direct_mmap/main.py and its O_DIRECT reader).
# zdio-category: cross-function
import mmap
import os

BLOCK = 4096
DTYPE_SIZES = {"uint8": 1, "int32": 4, "uint64": 8, "float64": 8}


class DirectArray:
    def __init__(self, path, shape, dtype, offset=64):
        if offset < 0:
            raise ValueError("offset should not be negative")
        if dtype not in DTYPE_SIZES:
            raise ValueError("dtype not supported")
        self._shape = tuple(shape)
        self._item = DTYPE_SIZES[dtype]
        self._row_bytes = self._item * self._shape[-1]
        self._offset = offset
        self._fd = os.open(path, os.O_RDONLY | os.O_DIRECT)  # zdio-expect-site: o_direct_open
        self._scratch = mmap.mmap(-1, 64 * BLOCK)

    def close(self):
        os.close(self._fd)
        self._scratch.close()

    def header(self):
        return os.pread(self._fd, 64, 0)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002

    def first_row(self):
        view = memoryview(self._scratch)[: self._row_bytes]
        os.preadv(self._fd, [view], self._offset)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO002, ZDIO003
        return bytes(view)

    def read_span(self, start, end):
        first = (start // BLOCK) * BLOCK
        last = ((end + BLOCK - 1) // BLOCK) * BLOCK
        view = memoryview(self._scratch)[: last - first]
        os.preadv(self._fd, [view], first)  # zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        return bytes(view[start - first : end - first])

    def row(self, index):
        start = self._offset + index * self._row_bytes
        return self.read_span(start, start + self._row_bytes)

    def prefetch(self):
        whole = memoryview(self._scratch)[: 16 * BLOCK]
        os.preadv(self._fd, [whole], 0)  # zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        os.preadv(self._fd, [whole[:BLOCK]], 1000)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO003


if __name__ == "__main__":
    import sys

    arr = DirectArray(sys.argv[1], (170000, 40), "uint64")
    print(len(arr.header()), len(arr.first_row()), len(arr.row(12345)))
    arr.prefetch()
    arr.close()

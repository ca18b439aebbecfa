# Pattern: a file class that maps a mode string to open flags, always adding O_DIRECT, and reads with readv into caller buffers or with pread into a fresh bytes object (modelled on vdsm's lib/vdsm/storage/directio.py DirectFile).
# zdio-category: cross-file
import os


_MODE_FLAGS = {
    "r": os.O_RDONLY,
    "r+": os.O_RDWR,
    "w": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
    "w+": os.O_RDWR | os.O_CREAT | os.O_TRUNC,
    "a": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
    "a+": os.O_RDWR | os.O_CREAT | os.O_APPEND,
}


class DirectFile:
    """A file whose every read and write bypasses the page cache."""

    def __init__(self, path, mode="r"):
        try:
            flags = _MODE_FLAGS[mode] | os.O_DIRECT
        except KeyError:
            raise ValueError(f"unsupported mode {mode!r}") from None
        self._path = path
        self._fd = os.open(path, flags, 0o644)  # zdio-expect-site: o_direct_open

    def readinto_at(self, buf, offset):
        return os.preadv(self._fd, [buf], offset)  # zdio-expect-site: o_direct_io

    def pread(self, size, offset):
        return os.pread(self._fd, size, offset)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO001

    def close(self):
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

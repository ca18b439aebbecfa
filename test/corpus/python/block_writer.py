# Pattern: a class wrapping an O_DIRECT descriptor whose write_block method is called with bytes literals and mmap buffers at constant offsets (modelled on vdsm's lib/vdsm/storage/directio.py DirectFile and its write path).
# zdio-category: cross-function
import mmap
import os

PAGE = 4096


class BlockWriter:
    """Writes whole blocks of a lease area with direct I/O."""

    def __init__(self, path):
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_DIRECT, 0o600)  # zdio-expect-site: o_direct_open

    def write_block(self, data, offset):
        written = os.pwrite(self._fd, data, offset)  # zdio-expect-site: o_direct_io
        if written != len(data):
            raise OSError(f"short write: {written} of {len(data)} bytes at {offset}")
        return written

    def close(self):
        os.close(self._fd)


def format_leases(path):
    w = BlockWriter(path)
    try:
        w.write_block(b"x" * 100, 0)  # zdio-expect: ZDIO001, ZDIO002
        page = mmap.mmap(-1, PAGE)
        page.write(b"LEASE")
        w.write_block(page, PAGE)  # zdio-expect: ZDIO004
        record = mmap.mmap(-1, 128 * 1024)
        w.write_block(record, 128 * 1024)  # zdio-expect-none: ZDIO001, ZDIO004
    finally:
        w.close()

# Pattern: reading detector frames with O_DIRECT into mmap-backed buffers, plus a trailer read through the unbuffered file object and a view at an odd offset (modelled on LiberTEM's src/libertem/io/direct.py, open_direct() and readinto_direct()).
# zdio-category: within-function
import mmap
import os

FRAME_BYTES = 512 * 1024
HEADER = 512


def read_frames(path, count):
    """Returns `count` frames read with direct I/O and the trailer behind them."""
    fh = os.open(path, os.O_RDONLY | os.O_DIRECT)  # zdio-expect-site: o_direct_open
    try:
        raw = mmap.mmap(-1, FRAME_BYTES * count, mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)
        with open(fh, "rb", buffering=0, closefd=False) as f:
            f.readinto(raw)  # zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
            trailer = f.read(HEADER)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
        view = memoryview(raw)
        os.preadv(fh, [view[100:4196]], 0)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
        os.preadv(fh, [view[:FRAME_BYTES]], FRAME_BYTES)  # zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        return raw, trailer
    finally:
        os.close(fh)

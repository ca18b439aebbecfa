# Pattern: a module-level table of (name, offset, size) cases walked by a loop that reads each into a view of one mmap buffer with os.preadv (modelled on LTP's tcases[] tables, written as a Python list).
# zdio-category: table
import mmap
import os
import sys

CASES = [
    ("one page", 0, 4096),
    ("short", 0, 100),  # zdio-expect: ZDIO002
    ("sector offset", 1024, 4096),  # zdio-expect: ZDIO003
    ("record", 131072, 131072),
]


def run(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECT)  # zdio-expect-site: o_direct_open
    buf = mmap.mmap(-1, 256 * 1024)
    view = memoryview(buf)
    failed = 0
    try:
        for name, offset, size in CASES:
            try:
                os.preadv(fd, [view[:size]], offset)  # zdio-expect-site: o_direct_io
                print(f"ok   {name}")
            except OSError as e:
                failed += 1
                print(f"fail {name}: {e}")
    finally:
        os.close(fd)
    return failed


if __name__ == "__main__":
    sys.exit(1 if run(sys.argv[1]) else 0)

# Pattern: module-level open flags that an environment variable turns into O_DIRECT, a module-global descriptor set by init() and used by the other functions, and a module constant for the superblock size (modelled on fsx's global o_direct flag and descriptor in xfstests' ltp/fsx.c, as Python module state).
# zdio-category: file-scope-state
import mmap
import os

OPEN_FLAGS = os.O_RDWR | os.O_CREAT
if os.environ.get("JOURNAL_DIRECT", "1") == "1":
    OPEN_FLAGS |= os.O_DIRECT

SUPERBLOCK_SIZE = 1024
_fd = None
_page = mmap.mmap(-1, 4096)


def init(path):
    global _fd
    _fd = os.open(path, OPEN_FLAGS, 0o644)  # zdio-expect-site: o_direct_open


def append(record, offset):
    os.pwrite(_fd, record, offset)  # zdio-expect-site: o_direct_io


def write_superblock():
    _page[:8] = b"JOURNAL1"
    os.pwrite(_fd, memoryview(_page)[:SUPERBLOCK_SIZE], 0)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO002, zdio-expect-none: ZDIO001


def close():
    global _fd
    if _fd is not None:
        os.close(_fd)
        _fd = None

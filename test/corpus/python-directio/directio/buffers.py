# Pattern: page-aligned buffers from anonymous mmap, rounded up to whole pages, in their own module (modelled on LiberTEM's _alloc_aligned() and the DirectIoBuffer classes of Python direct-I/O helpers).
# zdio-category: cross-file
import math
import mmap

PAGE = mmap.PAGESIZE


def aligned_buffer(size):
    """Returns a buffer of at least `size` bytes that starts on a page boundary.

    Anonymous mappings always start on a page, so the size is only rounded up to whole pages.
    """
    length = PAGE * max(1, math.ceil(size / PAGE))
    return mmap.mmap(-1, length, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)

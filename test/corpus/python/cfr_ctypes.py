# Pattern: a copy_file_range chooser that prefers os.copy_file_range and otherwise builds a ctypes wrapper around libc's copy_file_range, cached in a module global, called by a copier with constant ranges (modelled on a Python copy tool's copy_file_range.py that wraps libc and the raw syscall through ctypes.CDLL(None, use_errno=True)).
# zdio-category: call-form
import ctypes
import os
import sys

_CACHED = None
_loff_t = ctypes.c_int64


class CopyError(OSError):
    pass


def _make_libc_wrapper():
    cfr = ctypes.CDLL(None, use_errno=True).copy_file_range
    cfr.restype = ctypes.c_ssize_t
    cfr.argtypes = [ctypes.c_int, ctypes.POINTER(_loff_t), ctypes.c_int,
                    ctypes.POINTER(_loff_t), ctypes.c_size_t, ctypes.c_uint]

    def libc_copy_file_range(src_fd, dst_fd, count, offset_src=None, offset_dst=None):
        off_in = ctypes.byref(_loff_t(offset_src)) if offset_src is not None else None
        off_out = ctypes.byref(_loff_t(offset_dst)) if offset_dst is not None else None
        result = cfr(src_fd, off_in, dst_fd, off_out, count, 0)  # zdio-expect-site: copy_file_range
        if result < 0:
            err = ctypes.get_errno()
            raise CopyError(err, os.strerror(err))
        return result

    return libc_copy_file_range


def get_copy_file_range():
    global _CACHED
    if _CACHED is not None:
        return _CACHED
    if hasattr(os, "copy_file_range"):
        _CACHED = os.copy_file_range
    else:
        _CACHED = _make_libc_wrapper()
    return _CACHED


def copy_extent(src_path, dst_path, length, src_off, dst_off):
    copy = get_copy_file_range()
    with open(src_path, "rb") as src, open(dst_path, "r+b") as dst:
        n = copy(src.fileno(), dst.fileno(), length, src_off, dst_off)  # zdio-expect-site: copy_file_range
        if n < length:
            raise CopyError(0, "short copy of %d of %d bytes" % (n, length))
        return n


def copy_whole(src_path, dst_path):
    with open(src_path, "rb") as src, open(dst_path, "wb") as dst:
        size = os.fstat(src.fileno()).st_size
        left = size
        while left > 0:
            n = os.copy_file_range(src.fileno(), dst.fileno(), left)  # zdio-expect-site: copy_file_range
            if n == 0:
                break
            left -= n


def main(argv):
    src, dst = argv[1], argv[2]
    copy_whole(src, dst)
    copy_extent(src, dst, 1 << 20, 0, 0)  # zdio-expect-none: ZDIO010
    copy_extent(src, dst, 65536, 1 << 20, 1 << 20)  # zdio-expect: ZDIO010
    copy_extent(src, dst, 1 << 20, 4096, 4096)  # zdio-expect: ZDIO010
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

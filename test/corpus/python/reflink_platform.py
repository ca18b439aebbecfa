# Pattern: a reflink module whose Linux half is defined inside `if sys.platform in {...}:` with FICLONE as a literal in that block, a whole-file clone through fcntl.ioctl on file objects, a range clone whose struct is packed from a named tuple, and a copy fallback (modelled on the pure-Python reflink helpers of data tools, e.g. dvc-objects' fs/system.py reflink() and the reflink package's linux backend).
# zdio-category: branch-correlated
import errno
import os
import shutil
import struct
import sys
from collections import namedtuple

SUPPORTED = False
CloneRange = namedtuple("CloneRange", "src_offset length dst_offset")

if sys.platform in {"linux"}:
    import fcntl

    SUPPORTED = True
    FICLONE = 0x40049409
    FICLONERANGE = 0x4020940D

    def _clone_file_platform(source, destination):
        with open(source, "rb") as s, open(destination, "wb+") as d:
            fcntl.ioctl(d.fileno(), FICLONE, s.fileno())  # zdio-expect-site: ficlone

    def _clone_range_platform(src_file, dst_file, rng):
        arg = struct.pack("qQQQ", src_file.fileno(), rng.src_offset, rng.length, rng.dst_offset)
        fcntl.ioctl(dst_file.fileno(), FICLONERANGE, arg)  # zdio-expect-site: ficlone

else:

    def _clone_file_platform(source, destination):
        raise OSError(errno.ENOTSUP, "reflink is not supported on this platform")

    def _clone_range_platform(src_file, dst_file, rng):
        raise OSError(errno.ENOTSUP, "reflink is not supported on this platform")


def reflink(source, destination):
    try:
        _clone_file_platform(source, destination)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EXDEV, errno.EINVAL):
            try:
                os.unlink(destination)
            except FileNotFoundError:
                pass
        raise


def share_prefix(src_path, dst_path, prefix):
    with open(src_path, "rb") as s, open(dst_path, "r+b") as d:
        _clone_range_platform(s, d, CloneRange(0, prefix, 0))


def clone_or_copy(src_path, dst_path):
    try:
        reflink(src_path, dst_path)
    except OSError:
        shutil.copyfile(src_path, dst_path)
    share_prefix(src_path, dst_path, 256 * 1024)  # zdio-expect-none: ZDIO020
    share_prefix(src_path, dst_path, 8192)  # zdio-expect: ZDIO020

# Pattern: a copy_file_range loop with the errors that mean "fall back" handled, and an extent helper called with constant offsets and lengths (modelled on CPython's Lib/shutil.py _fastcopy_copy_file_range() and _fastcopy_sendfile()).
# zdio-category: cross-function
import errno
import os


class FallBack(Exception):
    """The kernel cannot copy between these two files; copy them with read and write."""


# The errors after which nothing has been copied and a user-space copy will do.
_FALL_BACK_ERRNOS = frozenset((errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.ETXTBSY, errno.EINVAL))


def copy_whole(src_file, dst_file):
    """Copies src_file to dst_file with copy_file_range, appending at dst's growing size."""
    src, dst = src_file.fileno(), dst_file.fileno()
    try:
        request = max(os.fstat(src).st_size, 8 << 20)
    except OSError:
        request = 128 << 20
    written = 0
    while True:
        try:
            n = os.copy_file_range(src, dst, request, offset_dst=written)  # zdio-expect-site: copy_file_range
        except OSError as e:
            if e.errno in _FALL_BACK_ERRNOS and written == 0:
                raise FallBack(src_file.name) from e
            raise
        if n == 0:
            return written
        written += n


def copy_extent(src_fd, dst_fd, offset, length):
    """Copies one extent to the same offset; returns the bytes copied."""
    done = 0
    while done < length:
        n = os.copy_file_range(src_fd, dst_fd, length - done, offset + done, offset + done)  # zdio-expect-site: copy_file_range
        if n == 0:
            break
        done += n
    return done


def copy_superblocks(src_fd, dst_fd):
    copy_extent(src_fd, dst_fd, 0, 128 * 1024)  # zdio-expect-none: ZDIO010
    copy_extent(src_fd, dst_fd, 64 * 1024 * 1024, 4096)  # zdio-expect: ZDIO010

# Pattern: an image daemon's transfer operations: files opened with O_DIRECT by a helper given direct=True, transfers through an mmap buffer of a module-level size, an unaligned final chunk written after O_DIRECT is cleared with fcntl F_SETFL, and a small header zeroed through the direct descriptor (modelled on ovirt-imageio's directio.py, its Receive and Send operations, enable_directio() and util.aligned_buffer()).
# zdio-category: cross-function
import fcntl
import mmap
import os

BUFFERSIZE = 1024 * 1024
BLOCKSIZE = 4096
HEADER_SIZE = 512


def aligned_buffer(size):
    """An anonymous mapping starts on a page boundary, which is what O_DIRECT needs."""
    return mmap.mmap(-1, size, mmap.MAP_SHARED)


def open_image(path, mode, direct=True):
    flags = os.O_RDWR if mode == "r+" else os.O_RDONLY
    if direct:
        flags |= os.O_DIRECT
    return os.open(path, flags)  # zdio-expect-site: o_direct_open


def enable_directio(fd, enable):
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    if enable:
        flags |= os.O_DIRECT
    else:
        flags &= ~os.O_DIRECT
    fcntl.fcntl(fd, fcntl.F_SETFL, flags)


def receive(path, src, size):
    """Writes size bytes read from the stream src to the start of the image."""
    fd = open_image(path, "r+")
    buf = aligned_buffer(BUFFERSIZE)
    try:
        remaining = size
        while remaining >= BLOCKSIZE:
            count = min(remaining, BUFFERSIZE) // BLOCKSIZE * BLOCKSIZE
            view = memoryview(buf)[:count]
            src.readinto(view)
            os.write(fd, view)  # zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
            remaining -= count
        if remaining:
            enable_directio(fd, False)
            tail = memoryview(buf)[:remaining]
            src.readinto(tail)
            os.write(fd, tail)  # zdio-expect-none: o_direct_io, ZDIO001, ZDIO002, ZDIO003
        os.fsync(fd)
    finally:
        buf.close()
        os.close(fd)


def send(path, dst, offset, size):
    """Streams size bytes of the image starting at offset, reading whole blocks around them."""
    fd = open_image(path, "r")
    buf = aligned_buffer(BUFFERSIZE)
    try:
        skip = offset % BLOCKSIZE
        os.lseek(fd, offset - skip, os.SEEK_SET)
        todo = size + skip
        while todo > 0:
            n = os.readv(fd, [buf])  # zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
            if n == 0:
                break
            chunk = memoryview(buf)[skip : min(n, todo)]
            dst.write(chunk)
            todo -= n
            skip = 0
    finally:
        buf.close()
        os.close(fd)


def zero_header(path):
    fd = open_image(path, "r+")
    try:
        os.pwrite(fd, b"\0" * HEADER_SIZE, 0)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
        block = aligned_buffer(BLOCKSIZE)
        os.pwrite(fd, block, BLOCKSIZE)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        block.close()
    finally:
        os.close(fd)


if __name__ == "__main__":
    import sys

    if sys.argv[1] == "zero":
        zero_header(sys.argv[2])
    elif sys.argv[1] == "put":
        receive(sys.argv[2], sys.stdin.buffer, int(sys.argv[3]))
    else:
        send(sys.argv[2], sys.stdout.buffer, int(sys.argv[3]), int(sys.argv[4]))

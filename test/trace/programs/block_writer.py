# os.pwrite on a descriptor opened with os.O_DIRECT: an mmap buffer is page-aligned, a bytes object is not.
import mmap
import os
import sys


def write_block(fd, data, offset):
    return os.pwrite(fd, data, offset)  # expect: ZDIO001 ZDIO002


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "block writer.dat"
    fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_TRUNC | os.O_DIRECT, 0o644)
    page = mmap.mmap(-1, 4096)
    write_block(fd, page, 0)
    for data in (b"x" * 100, bytes(4096)):
        try:
            write_block(fd, data, 4096)
        except OSError as error:
            print("refused:", error)
    os.close(fd)


main()

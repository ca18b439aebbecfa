# Pattern: a direct-I/O file class for testing a network block device through a loopback: the constructor opens the path with O_DIRECT | O_RDWR and keeps an alignment (4096 by default), pread(offset, length) reads into a fresh aligned buffer and returns the bytes read, pwrite(offset, data) copies the caller's bytes into an aligned buffer of len(data) and writes that many bytes; the export's request handler passes the client's offsets and lengths through, and a self-test writes and reads fixed ranges (modelled on redbo/metaluna's directio.pyx DirectFile with its posix_memalign() buffers in pread()/pwrite(), written in pure Python with anonymous mmap buffers and os.preadv/os.pwrite).
# zdio-category: cross-function
import mmap
import os
import struct
import sys

NBD_CMD_READ = 0
NBD_CMD_WRITE = 1
EXPORT_MAGIC = b"NBDMAGIC"


class DirectFile:
    def __init__(self, path, align=4096):
        self.fd = os.open(path, os.O_DIRECT | os.O_RDWR)  # zdio-expect-site: o_direct_open
        self.align = align

    def _aligned(self, length):
        # an anonymous map starts on a page; its size is rounded up to the alignment
        size = max(self.align, (length + self.align - 1) // self.align * self.align)
        return mmap.mmap(-1, size)

    def pread(self, offset, length):
        buf = self._aligned(length)
        try:
            got = os.preadv(self.fd, [memoryview(buf)[:length]], offset)  # zdio-expect-site: o_direct_io
            return bytes(buf[:got])
        finally:
            buf.close()

    def pwrite(self, offset, data):
        buf = self._aligned(len(data))
        try:
            buf.write(data)
            return os.pwrite(self.fd, memoryview(buf)[:len(data)], offset)  # zdio-expect-site: o_direct_io
        finally:
            buf.close()

    def __len__(self):
        return os.lseek(self.fd, 0, os.SEEK_END)

    def close(self):
        os.close(self.fd)


class Export:
    """Serves one file to NBD clients; offsets and lengths come from the wire."""

    def __init__(self, path):
        self.file = DirectFile(path)

    def handle(self, command, offset, length, payload=b""):
        if command == NBD_CMD_READ:
            return self.file.pread(offset, length)  # zdio-expect-none: ZDIO002, ZDIO003
        if command == NBD_CMD_WRITE:
            self.file.pwrite(offset, payload)  # zdio-expect-none: ZDIO002, ZDIO003
            return b""
        raise ValueError("unsupported command %d" % command)

    def serve(self, stream):
        while True:
            header = stream.read(16)
            if len(header) < 16:
                return
            command, offset, length = struct.unpack(">IQI", header)
            payload = stream.read(length) if command == NBD_CMD_WRITE else b""
            reply = self.handle(command, offset, length, payload)
            sys.stdout.buffer.write(struct.pack(">I", len(reply)) + reply)


def selftest(path):
    f = DirectFile(path)
    try:
        # a zeroed first page, then the magic right behind it
        f.pwrite(0, bytes(4096))  # zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002
        f.pwrite(4096, EXPORT_MAGIC)  # zdio-expect: ZDIO002, zdio-expect-none: ZDIO001, ZDIO003
        # one whole record
        f.pwrite(128 * 1024, b"\xa5" * (128 * 1024))  # zdio-expect-none: ZDIO001, ZDIO002, ZDIO004
        if f.pread(4096, 4096)[:8] != EXPORT_MAGIC:  # zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
            raise SystemExit("magic not found")
        # the partition table sector
        mbr = f.pread(0, 512)  # zdio-expect: ZDIO002, zdio-expect-none: ZDIO001
        print("size %d, boot signature %r" % (len(f), mbr[510:512]))
    finally:
        f.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--selftest"]:
        selftest(sys.argv[2])
    else:
        Export(sys.argv[1]).serve(sys.stdin.buffer)

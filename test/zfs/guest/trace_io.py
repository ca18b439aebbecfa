# Traced by `zfs-dio trace` inside the test VM (test/zfs/guest/suite.sh), on tank/always and
# tank/standard: the calls of the probe's matrix (same ids, lengths and offsets as the probe's runner)
# made from Python, each on a line of its own, with what each returned written to a JSON record.
#
#   python3 trace_io.py prepare DIR      writes the source and data files (untraced)
#   python3 trace_io.py run DIR RECORD   makes the calls and writes RECORD
#
# An `expect:` comment names the probe's experiment id, then the rule ids the trace must report on
# that line (none: the call is recorded on that line, with no finding).
#
# Buffers: an anonymous mmap is page-aligned, and a memoryview slice of it moves the address by the
# slice's start. os.pread returns a new bytes object, whose data never starts on a page boundary:
# that is the usual way a Python program trips over O_DIRECT, so dio.read.buf is made that way.
import errno
import json
import mmap
import os
import sys

RS = 131072
PAGE = os.sysconf("SC_PAGE_SIZE")


def fill(path, size):
    with open(path, "wb") as f:
        f.write(bytes((i * 7 + 3) & 0xFF for i in range(256)) * (size // 256))


def prepare(directory):
    os.makedirs(directory, exist_ok=True)
    fill(os.path.join(directory, "cfr-src"), 4 * RS)
    fill(os.path.join(directory, "dio-read"), 3 * RS)
    fill(os.path.join(directory, "dio-write"), 6 * RS)


class Record:
    def __init__(self):
        self.calls = []

    def call(self, case, name, fn):
        """Runs fn(); notes its result (bytes, or -1) and errno name (None on success)."""
        try:
            result = fn()
            if isinstance(result, (bytes, bytearray)):
                result = len(result)
            self.calls.append({"id": case, "call": name, "result": result, "errno": None})
        except OSError as error:
            self.calls.append({"id": case, "call": name, "result": -1,
                               "errno": errno.errorcode.get(error.errno, str(error.errno))})


def copies(d, rec):
    src = os.open(os.path.join(d, "cfr-src"), os.O_RDONLY)
    dsrc = os.open(os.path.join(d, "cfr-src"), os.O_RDONLY | os.O_DIRECT)

    def dst(name, direct):
        return os.open(os.path.join(d, name), os.O_CREAT | os.O_RDWR | os.O_TRUNC | (os.O_DIRECT if direct else 0), 0o644)

    fd = dst("cfr-aligned", False)
    rec.call("cfr.aligned", "copy_file_range", lambda: os.copy_file_range(src, fd, 2 * RS, RS, 0))  # expect: cfr.aligned
    os.close(fd)
    fd = dst("cfr-page", False)
    rec.call("cfr.page", "copy_file_range", lambda: os.copy_file_range(src, fd, 16 * PAGE, PAGE, 2 * PAGE))  # expect: cfr.page ZDIO010
    os.close(fd)
    fd = dst("cfr-misaligned", False)
    rec.call("cfr.misaligned", "copy_file_range", lambda: os.copy_file_range(src, fd, RS + 1, 1000, 0))  # expect: cfr.misaligned ZDIO010
    os.close(fd)
    fd = dst("cfr-odirect-aligned", True)
    rec.call("cfr.odirect.aligned", "copy_file_range", lambda: os.copy_file_range(dsrc, fd, 2 * RS, 0, 0))  # expect: cfr.odirect.aligned ZDIO011
    os.close(fd)
    fd = dst("cfr-odirect-page", True)
    rec.call("cfr.odirect.page", "copy_file_range", lambda: os.copy_file_range(dsrc, fd, 16 * PAGE, PAGE, 2 * PAGE))  # expect: cfr.odirect.page ZDIO010 ZDIO011
    os.close(fd)
    fd = dst("cfr-odirect-misaligned", True)
    rec.call("cfr.odirect.misaligned", "copy_file_range", lambda: os.copy_file_range(dsrc, fd, RS + 1, 1000, 0))  # expect: cfr.odirect.misaligned ZDIO010 ZDIO011
    os.close(fd)
    os.close(src)
    os.close(dsrc)


def reads(d, rec, view):
    fd = os.open(os.path.join(d, "dio-read"), os.O_RDONLY | os.O_DIRECT)
    rec.call("dio.read.aligned", "preadv", lambda: os.preadv(fd, [view[:RS]], RS))  # expect: dio.read.aligned
    rec.call("dio.read.buf", "pread64", lambda: os.pread(fd, RS, RS))  # expect: dio.read.buf ZDIO001
    rec.call("dio.read.len", "preadv", lambda: os.preadv(fd, [view[:PAGE + 1]], 0))  # expect: dio.read.len ZDIO002
    rec.call("dio.read.off", "preadv", lambda: os.preadv(fd, [view[:RS]], RS + 512))  # expect: dio.read.off ZDIO003
    os.close(fd)


def writes(d, rec, view):
    fd = os.open(os.path.join(d, "dio-write"), os.O_RDWR | os.O_DIRECT)
    rec.call("dio.write.aligned", "pwrite64", lambda: os.pwrite(fd, view[:RS], 1 * RS))  # expect: dio.write.aligned
    rec.call("dio.write.buf", "pwrite64", lambda: os.pwrite(fd, view[1:RS + 1], 2 * RS))  # expect: dio.write.buf ZDIO001
    rec.call("dio.write.len", "pwrite64", lambda: os.pwrite(fd, view[:PAGE + 1], 3 * RS))  # expect: dio.write.len ZDIO002
    rec.call("dio.write.off", "pwrite64", lambda: os.pwrite(fd, view[:RS], 4 * RS + 512))  # expect: dio.write.off ZDIO003
    os.close(fd)


def main(argv):
    if len(argv) == 3 and argv[1] == "prepare":
        prepare(argv[2])
        return 0
    if len(argv) != 4 or argv[1] != "run":
        sys.stderr.write("usage: trace_io.py prepare DIR | run DIR RECORD\n")
        return 2
    d = argv[2]
    buf = mmap.mmap(-1, 2 * RS)
    buf.write(b"z" * (2 * RS))
    view = memoryview(buf)
    rec = Record()
    copies(d, rec)
    reads(d, rec, view)
    writes(d, rec, view)
    with open(argv[3], "w") as f:
        json.dump({"program": "trace_io.py", "pageSize": PAGE, "recordsize": RS, "calls": rec.calls}, f, indent=1)
    return 0


sys.exit(main(sys.argv))

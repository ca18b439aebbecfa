# Pattern: an HTTP range-request handler whose own copy_file_range method copies a byte range between file objects, next to helpers that only test for O_DIRECT and a direct read done right (modelled on the RangeHTTPServer-style SimpleHTTPRequestHandler subclasses that define and call self.copy_file_range(in_file, out_file)).
# zdio-category: negative
import mmap
import os
from http.server import SimpleHTTPRequestHandler

HAVE_DIRECT = hasattr(os, "O_DIRECT")
BLOCK = 64 * 1024


class RangeRequestHandler(SimpleHTTPRequestHandler):
    """Serves `Range: bytes=a-b` requests; copy_file_range here is a method of this class, not os.copy_file_range."""

    range_from = 0
    range_to = None

    def send_range_head(self):
        path = self.translate_path(self.path)
        f = open(path, "rb")
        size = os.fstat(f.fileno()).st_size
        if self.range_to is None or self.range_to >= size:
            self.range_to = size - 1
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {self.range_from}-{self.range_to}/{size}")
        self.send_header("Content-Length", str(self.range_to - self.range_from + 1))
        self.end_headers()
        return f

    def do_GET(self):
        header = self.headers.get("Range")
        if not header:
            return SimpleHTTPRequestHandler.do_GET(self)
        first, _, last = header.split("=", 1)[1].partition("-")
        self.range_from = int(first or 0)
        self.range_to = int(last) if last else None
        f = self.send_range_head()
        if f:
            self.copy_file_range(f, self.wfile)  # zdio-expect-none: copy_file_range
            f.close()

    def copy_file_range(self, in_file, out_file):  # zdio-expect-none: copy_file_range
        """Streams bytes range_from..range_to (both included) from in_file to out_file."""
        in_file.seek(self.range_from)
        for start in range(self.range_from, self.range_to + 1, BLOCK):
            chunk = in_file.read(min(BLOCK, self.range_to + 1 - start))
            if not chunk:
                return
            out_file.write(chunk)


def describe(fd_flags):
    return "O_DIRECT is " + ("on" if fd_flags & getattr(os, "O_DIRECT", 0) else "off")


def read_aligned(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECT)  # zdio-expect-site: o_direct_open
    try:
        buf = mmap.mmap(-1, 128 * 1024)
        os.preadv(fd, [buf], 128 * 1024)  # zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        return bytes(buf[:16])
    finally:
        os.close(fd)

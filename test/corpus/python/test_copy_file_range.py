# Pattern: a unittest class whose copy_file_range tests pass counts and offsets positionally, by keyword and through a helper method that forwards **kwargs, with sizes in class attributes and results asserted, and a test that copies from a source opened with O_DIRECT (modelled on CPython's Lib/test/test_os.py CopyFileRangeTests, test_copy_file_range and test_copy_file_range_offset).
# zdio-category: cross-function
import os
import tempfile
import unittest


@unittest.skipUnless(hasattr(os, "copy_file_range"), "test needs os.copy_file_range()")
class CopyFileRangeTests(unittest.TestCase):
    RECORD = 128 * 1024
    DATA = b"0123456789"

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.src_path = os.path.join(self.dir, "src")
        self.dst_path = os.path.join(self.dir, "dst")
        with open(self.src_path, "wb") as f:
            f.write(os.urandom(4 * self.RECORD))

    def tearDown(self):
        for p in (self.src_path, self.dst_path):
            if os.path.exists(p):
                os.unlink(p)
        os.rmdir(self.dir)

    def copy(self, count, **kwargs):
        with open(self.src_path, "rb") as src, open(self.dst_path, "wb") as dst:
            return os.copy_file_range(src.fileno(), dst.fileno(), count, **kwargs)  # zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO010

    def test_copy_file_range(self):
        with open(self.src_path, "wb") as f:
            f.write(self.DATA)
        in_fd = os.open(self.src_path, os.O_RDONLY)
        out_fd = os.open(self.dst_path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            done = os.copy_file_range(in_fd, out_fd, len(self.DATA))  # zdio-expect-site: copy_file_range, zdio-expect: ZDIO010
            self.assertIn(done, range(len(self.DATA) + 1))
        finally:
            os.close(in_fd)
            os.close(out_fd)

    def test_short_count(self):
        self.assertEqual(self.copy(5), 5)  # zdio-expect: ZDIO010

    def test_offsets(self):
        in_skip = 3
        out_seek = 5
        n = self.copy(self.RECORD, offset_src=in_skip, offset_dst=out_seek)  # zdio-expect: ZDIO010
        self.assertEqual(n, self.RECORD)

    def test_aligned_records(self):
        n = self.copy(2 * self.RECORD, offset_src=self.RECORD, offset_dst=0)  # zdio-expect-none: ZDIO010
        self.assertEqual(n, 2 * self.RECORD)

    def test_direct_source(self):
        in_fd = os.open(self.src_path, os.O_RDONLY | os.O_DIRECT)  # zdio-expect-site: o_direct_open
        out_fd = os.open(self.dst_path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            n = os.copy_file_range(in_fd, out_fd, self.RECORD)  # zdio-expect-site: copy_file_range, zdio-expect: ZDIO011, zdio-expect-none: ZDIO010
            self.assertEqual(n, self.RECORD)
        finally:
            os.close(in_fd)
            os.close(out_fd)


if __name__ == "__main__":
    unittest.main()

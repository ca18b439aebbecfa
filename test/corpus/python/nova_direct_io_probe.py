# Pattern: a compute service that decides its disk cache mode by probing the instances directory: it creates a hidden test file with O_CREAT | O_WRONLY | O_DIRECT, writes 512 bytes from an anonymous mmap (page-aligned, but the length is one sector), treats EINVAL as "no direct I/O" and removes the file afterwards, then picks cache mode "none" or "writethrough" from the answer (modelled on OpenStack nova's nova/privsep/utils.py supports_direct_io() and the disk_cachemode property of nova/virt/libvirt/driver.py).
# zdio-category: within-function
import errno
import logging
import mmap
import os

LOG = logging.getLogger(__name__)

ALIGN_SIZE = 512


def supports_direct_io(dirpath):
    if not hasattr(os, "O_DIRECT"):
        LOG.debug("This python runtime does not support direct I/O")
        return False

    testfile = os.path.join(dirpath, ".directio.test")
    has_direct_io = True
    fd = None
    try:
        fd = os.open(testfile, os.O_CREAT | os.O_WRONLY | os.O_DIRECT)  # zdio-expect-site: o_direct_open
        # One sector from a page-aligned anonymous map.
        m = mmap.mmap(-1, ALIGN_SIZE)
        m.write(b"x" * ALIGN_SIZE)
        os.write(fd, m)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO002, zdio-expect-none: ZDIO001, ZDIO003
        LOG.debug("Path '%s' supports direct I/O", dirpath)
    except OSError as e:
        if e.errno == errno.EINVAL:
            LOG.debug("Path '%s' does not support direct I/O: '%s'", dirpath, e)
            has_direct_io = False
        else:
            LOG.error("Error on '%s' while checking direct I/O: '%s'", dirpath, e)
            raise
    finally:
        if fd is not None:
            os.close(fd)
        try:
            os.unlink(testfile)
        except OSError:
            pass
    return has_direct_io


def write_console_log(path, data):
    # The console log goes through the page cache on purpose.
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)  # zdio-expect-none: o_direct_open
    try:
        os.write(fd, data)  # zdio-expect-none: o_direct_io, ZDIO001, ZDIO002
    finally:
        os.close(fd)


class LibvirtDriver:
    def __init__(self, instances_path, preferred_cache_mode=None):
        self.instances_path = instances_path
        self._disk_cachemode = preferred_cache_mode

    @property
    def disk_cachemode(self):
        if self._disk_cachemode is None:
            if supports_direct_io(self.instances_path):
                self._disk_cachemode = "none"
            else:
                self._disk_cachemode = "writethrough"
        return self._disk_cachemode

    def disk_config(self, source_path):
        return {"source": source_path, "driver_cache": self.disk_cachemode}


if __name__ == "__main__":
    import sys

    driver = LibvirtDriver(sys.argv[1] if len(sys.argv) > 1 else "/var/lib/nova/instances")
    print(driver.disk_config(os.path.join(driver.instances_path, "disk")))
    write_console_log(os.path.join(driver.instances_path, "console.log"), b"booted\n")

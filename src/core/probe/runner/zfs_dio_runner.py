#!/usr/bin/env python3
"""ZFS Direct I/O Assistant - experiment runner (Python 3 standard library only).

Started by the extension / `zfs-dio probe` as a separate process, so a kernel call that
hangs can never freeze the editor: the caller owns the timeout and can kill us.

Input:  one JSON object on stdin (see read_config).
Output: one JSON object on stdout (the measured matrix, or {"error": {...}}).
        Progress lines on stderr:  PROGRESS <done>/<total> <step>

It writes ONLY inside the scratch directory named in the config, which it creates itself
(it must not exist yet), and it writes a marker file there before anything else, so that a
later run can recognise and remove what a killed run left behind.  The directory is removed
in a `finally` block on success, error, SIGTERM/SIGINT/SIGHUP (cancel and timeout).

Why Python: os.copy_file_range, os.O_DIRECT, os.preadv/os.pwritev and mmap (page-aligned
anonymous buffers) are all in the standard library, and ctypes reaches glibc's statx for
STATX_DIOALIGN.  No compiler and no package is needed on the user's machine.
"""
import ctypes
import errno
import json
import mmap
import os
import shutil
import signal
import stat
import subprocess
import sys
import time

MARKER_NAME = ".zfs-dio-probe-marker.json"
TOOL_NAME = "zfs-dio-assistant"
STATX_DIOALIGN = 0x00002000
AT_FDCWD = -100
AT_SYMLINK_NOFOLLOW = 0x100


class Interrupted(BaseException):
    """Raised from the signal handler so every `finally` (cleanup) runs."""


class RunnerError(Exception):
    def __init__(self, code, message, err=None):
        Exception.__init__(self, message)
        self.code = code
        self.errno_name = errno.errorcode.get(err, None) if err else None


def on_signal(signum, _frame):
    raise Interrupted("signal %d" % signum)


def progress(done, total, step):
    sys.stderr.write("PROGRESS %d/%d %s\n" % (done, total, step))
    sys.stderr.flush()


def errno_name(e):
    return errno.errorcode.get(e.errno, "E%d" % (e.errno or 0))


def proc_start_ticks(pid):
    """Field 22 of /proc/<pid>/stat: start time in clock ticks since boot (pid-reuse check)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
        # the command name (field 2) may contain spaces and parentheses: split after the last ')'
        rest = data[data.rindex(")") + 2:].split()
        return int(rest[19])
    except (OSError, ValueError, IndexError):
        return None


# --------------------------------------------------------------------------------------------
# pool helpers: bclonesaved (clone or copy?), `zpool sync`, iostats kstat (direct or ARC?)

class Pool:
    def __init__(self, name, zpool, timeout):
        self.name = name
        self.zpool = zpool
        self.timeout = timeout
        self.sync_method = None
        self.notes = []

    def _zpool(self, *args):
        p = subprocess.run([self.zpool] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True,
                           timeout=self.timeout)
        return p.returncode, p.stdout, p.stderr

    def sync(self):
        """Push the open txg to disk: clones need synced source blocks, bclonesaved and the
        write counters only move at sync time."""
        if self.sync_method in (None, "zpool sync"):
            try:
                rc, _out, err = self._zpool("sync", self.name)
            except (OSError, subprocess.TimeoutExpired) as e:
                rc, err = 1, str(e)
            if rc == 0:
                self.sync_method = "zpool sync"
                return
            if self.sync_method is None:
                self.notes.append("`zpool sync` failed (%s); waiting for the txg timeout instead"
                                  % err.strip()[:200])
            self.sync_method = "txg-wait"
        # Without `zpool sync` the only portable way is to wait for the periodic txg sync.
        time.sleep(txg_timeout() + 1.0)

    def bclone(self):
        """(bcloneused, bclonesaved) in bytes, or None when the pool does not report them."""
        try:
            rc, out, _err = self._zpool("get", "-Hp", "-o", "value",
                                        "bcloneused,bclonesaved", self.name)
        except (OSError, subprocess.TimeoutExpired):
            return None
        vals = out.split()
        if rc != 0 or len(vals) != 2 or not all(v.isdigit() for v in vals):
            return None
        return int(vals[0]), int(vals[1])

    def iostats(self):
        """direct_/arc_ read/write counters of /proc/spl/kstat/zfs/<pool>/iostats (2.3.0+)."""
        counters = {}
        try:
            with open("/proc/spl/kstat/zfs/%s/iostats" % self.name) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3 and parts[2].isdigit() and (
                            parts[0].startswith("direct_") or parts[0].startswith("arc_")):
                        counters[parts[0]] = int(parts[2])
        except OSError:
            return None
        return counters or None


def txg_timeout():
    try:
        with open("/sys/module/zfs/parameters/zfs_txg_timeout") as f:
            return max(1, min(int(f.read().strip()), 30))
    except (OSError, ValueError):
        return 5


def io_from_counters(before, after, kind, length):
    """'direct' / 'arc' only when the kstat deltas account for the request; else 'unknown'.

    Both counter pairs count only I/O that reached the disks (a read served from the ARC or
    the dbuf cache moves neither), and they are pool-wide: a few bytes of unrelated ARC writes
    show up around every txg sync.  So a side is credited only when its byte delta covers the
    request, and ARC only when nothing went direct."""
    if before is None or after is None:
        return "unknown", {}
    d = {}
    for k in ("direct_%s_count" % kind, "direct_%s_bytes" % kind,
              "arc_%s_count" % kind, "arc_%s_bytes" % kind):
        if k in before and k in after:
            d[k] = after[k] - before[k]
    direct = d.get("direct_%s_bytes" % kind, 0)
    arc = d.get("arc_%s_bytes" % kind, 0)
    if direct >= length > 0:
        return "direct", d
    if direct == 0 and arc >= length > 0:
        return "arc", d
    return "unknown", d


# --------------------------------------------------------------------------------------------
# statx(STATX_DIOALIGN) through glibc

class Timestamp(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_int64), ("tv_nsec", ctypes.c_uint32),
                ("reserved", ctypes.c_int32)]


class Statx(ctypes.Structure):
    _fields_ = [
        ("stx_mask", ctypes.c_uint32), ("stx_blksize", ctypes.c_uint32),
        ("stx_attributes", ctypes.c_uint64), ("stx_nlink", ctypes.c_uint32),
        ("stx_uid", ctypes.c_uint32), ("stx_gid", ctypes.c_uint32),
        ("stx_mode", ctypes.c_uint16), ("spare0", ctypes.c_uint16),
        ("stx_ino", ctypes.c_uint64), ("stx_size", ctypes.c_uint64),
        ("stx_blocks", ctypes.c_uint64), ("stx_attributes_mask", ctypes.c_uint64),
        ("stx_atime", Timestamp), ("stx_btime", Timestamp),
        ("stx_ctime", Timestamp), ("stx_mtime", Timestamp),
        ("stx_rdev_major", ctypes.c_uint32), ("stx_rdev_minor", ctypes.c_uint32),
        ("stx_dev_major", ctypes.c_uint32), ("stx_dev_minor", ctypes.c_uint32),
        ("stx_mnt_id", ctypes.c_uint64),
        ("stx_dio_mem_align", ctypes.c_uint32), ("stx_dio_offset_align", ctypes.c_uint32),
        ("spare3", ctypes.c_uint64 * 12),
    ]


def statx_dioalign(path):
    """Returns ({memAlign, offsetAlign, blksize} | None, note)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.statx
    except (OSError, AttributeError):
        return None, "the C library has no statx() (glibc < 2.28?)"
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint,
                   ctypes.POINTER(Statx)]
    fn.restype = ctypes.c_int
    buf = Statx()
    rc = fn(AT_FDCWD, os.fsencode(path), AT_SYMLINK_NOFOLLOW, STATX_DIOALIGN, ctypes.byref(buf))
    if rc != 0:
        e = ctypes.get_errno()
        return None, "statx failed: %s" % errno.errorcode.get(e, str(e))
    if not buf.stx_mask & STATX_DIOALIGN:
        return None, ("statx did not return STATX_DIOALIGN (kernel < 6.1, ZFS < 2.3.2, "
                      "direct=disabled or zfs_dio_enabled=0)")
    return {"memAlign": buf.stx_dio_mem_align, "offsetAlign": buf.stx_dio_offset_align,
            "blksize": buf.stx_blksize}, None


# --------------------------------------------------------------------------------------------
# scratch directory

def create_scratch(path, run_id):
    parent = os.path.dirname(path)
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        raise RunnerError("BAD_INPUT", "scratch directory %s already exists" % path)
    except (PermissionError, OSError) as e:
        if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise RunnerError("PERMISSION", "cannot create a scratch directory in %s: %s"
                              % (parent, os.strerror(e.errno)), e.errno)
        raise RunnerError("RUNNER_FAILED", "cannot create %s: %s" % (path, e), e.errno)
    st = os.lstat(path)
    marker = {
        "tool": TOOL_NAME, "runId": run_id,
        "pid": os.getpid(), "pidStart": proc_start_ticks(os.getpid()),
        "ppid": os.getppid(), "ppidStart": proc_start_ticks(os.getppid()),
        "startedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    # The marker is the first thing written: leftovers are recognised by it, and only by it.
    fd = os.open(os.path.join(path, MARKER_NAME),
                 os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, json.dumps(marker).encode())
    finally:
        os.close(fd)
    return (st.st_dev, st.st_ino)


def remove_scratch(path, identity):
    """Remove the directory we created (same dev/inode, not a symlink); rmtree never follows
    symlinks inside it."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return True
    if not stat.S_ISDIR(st.st_mode) or (st.st_dev, st.st_ino) != identity:
        return False
    shutil.rmtree(path, ignore_errors=True)
    return not os.path.lexists(path)


# --------------------------------------------------------------------------------------------
# experiments

def write_file(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
    finally:
        os.close(fd)


def read_range(path, off, length):
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        return os.pread(fd, length, off)
    finally:
        os.close(fd)


class Matrix:
    def __init__(self, cfg, pool, scratch):
        self.cfg = cfg
        self.pool = pool
        self.dir = scratch
        self.rs = int(cfg["recordsize"])
        self.page = mmap.PAGESIZE
        self.results = []
        self.counter = 0

    def path(self, name):
        return os.path.join(self.dir, name)

    def record(self, exp_id, result, err, nbytes, cloned, io, data_ok, params):
        self.results.append({"id": exp_id, "result": result, "errno": err, "bytes": nbytes,
                             "cloned": cloned, "io": io, "dataOk": data_ok, "params": params})

    # -- copy_file_range ------------------------------------------------------------------
    def cfr(self, exp_id, src, data, length, off_src, off_dst, odirect):
        rs, page = self.rs, self.page
        self.counter += 1
        dst = self.path("cfr-dst-%d" % self.counter)
        params = {"length": length, "srcOffset": off_src, "dstOffset": off_dst,
                  "oDirect": odirect, "recordsize": rs, "pageSize": page,
                  "recordAligned": length % rs == 0 and off_src % rs == 0 and off_dst % rs == 0,
                  "pageAligned": length % page == 0 and off_src % page == 0 and off_dst % page == 0}
        before = self.pool.bclone()
        flags = os.O_DIRECT if odirect else 0
        n, err = None, None
        try:
            fs = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | flags)
            try:
                fd = os.open(dst, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | flags, 0o600)
                try:
                    n = os.copy_file_range(fs, fd, length, off_src, off_dst)
                finally:
                    os.close(fd)
            finally:
                os.close(fs)
        except OSError as e:
            err = errno_name(e)
        if err is not None:
            self.record(exp_id, "error", err, None, None, "unknown", None, params)
            return
        params["shortCopy"] = n < length
        got = read_range(dst, off_dst, n)
        data_ok = got == data[off_src:off_src + n]
        cloned = None
        if before is not None and n > 0:
            self.pool.sync()
            after = self.pool.bclone()
            if after is not None:
                params["bclonesavedDelta"] = after[1] - before[1]
                cloned = after[1] > before[1]
        # Which path the copy took cannot be read from the iostats counters (see the README).
        self.record(exp_id, "ok", None, n, cloned, "unknown", data_ok, params)

    # -- O_DIRECT pread / pwrite ----------------------------------------------------------
    def dio(self, exp_id, path, expected, write, buf_off, length, file_off):
        page = self.page
        params = {"bufferOffset": buf_off, "length": length, "offset": file_off,
                  "pageSize": page, "recordsize": self.rs,
                  "pageAligned": buf_off % page == 0 and length % page == 0 and file_off % page == 0}
        size = ((buf_off + length + page - 1) // page + 1) * page
        mm = mmap.mmap(-1, size)       # anonymous mappings are page-aligned
        view = memoryview(mm)
        window = view[buf_off:buf_off + length]
        payload = os.urandom(length) if write else None
        n, err = None, None
        before = self.pool.iostats()
        try:
            if write:
                window[:] = payload
            fd = os.open(path, (os.O_RDWR if write else os.O_RDONLY) | os.O_DIRECT | os.O_NOFOLLOW)
            try:
                if write:
                    n = os.pwritev(fd, [window], file_off)
                else:
                    n = os.preadv(fd, [window], file_off)
            finally:
                os.close(fd)
            got = bytes(window[:n]) if not write else None
        except OSError as e:
            err = errno_name(e)
        finally:
            window.release()
            view.release()
            mm.close()
        if err is not None:
            self.record(exp_id, "error", err, None, None, "unknown", None, params)
            return
        if write and before is not None:
            self.pool.sync()          # ARC writes reach the counters only when the txg syncs
        after = self.pool.iostats()
        io, deltas = io_from_counters(before, after, "write" if write else "read", n)
        params.update(deltas)
        if write:
            data_ok = read_range(path, file_off, n) == payload[:n]
            expected[file_off:file_off + n] = payload[:n]
        else:
            data_ok = got == bytes(expected[file_off:file_off + n])
        self.record(exp_id, "ok", None, n, None, io, data_ok, params)

    def prepare_read_file(self, path, size):
        """Record 0 buffered, the rest with aligned O_DIRECT writes: data written direct is not
        left in the ARC, so a later direct read has to reach the disks and shows in the
        counters (a new file's first block always goes through the ARC)."""
        rs = self.rs
        data = bytearray(os.urandom(size))
        write_file(path, bytes(data[:rs]))
        mm = mmap.mmap(-1, rs)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_DIRECT | os.O_NOFOLLOW)
            try:
                for off in range(rs, size, rs):
                    mm[:] = data[off:off + rs]
                    os.pwrite(fd, mm, off)
            finally:
                os.close(fd)
        except OSError:
            # O_DIRECT writes refused (e.g. ZFS < 0.8): a buffered file still serves the reads.
            fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
            try:
                os.pwrite(fd, bytes(data[rs:]), rs)
                os.fsync(fd)
            finally:
                os.close(fd)
        finally:
            mm.close()
        return data

    def run(self, wanted, total):
        rs, page = self.rs, self.page
        done = [0]

        def step(name):
            done[0] += 1
            progress(done[0], total, name)

        want = lambda i: i in wanted
        cfr_ids = [i for i in ("cfr.aligned", "cfr.page", "cfr.misaligned", "cfr.odirect.aligned",
                               "cfr.odirect.misaligned") if want(i)]
        if cfr_ids:
            src = self.path("cfr-src")
            data = os.urandom(4 * rs)
            write_file(src, data)
            self.pool.sync()          # only blocks already on disk can be cloned
            cases = {
                "cfr.aligned": (2 * rs, rs, 0, False),
                "cfr.page": (16 * page, page, 2 * page, False),
                "cfr.misaligned": (rs + 1, 1000, 0, False),
                "cfr.odirect.aligned": (2 * rs, 0, 0, True),
                "cfr.odirect.misaligned": (rs + 1, 1000, 0, True),
            }
            for i in cfr_ids:
                length, so, do, od = cases[i]
                self.cfr(i, src, data, length, so, do, od)
                step(i)
        read_ids = [i for i in ("dio.read.aligned", "dio.read.buf", "dio.read.len", "dio.read.off")
                    if want(i)]
        # One file per read case: a read through the ARC makes ZFS prefetch the following
        # records, which would let a later case in the same file hit the cache and show up in
        # neither counter.
        cases = {
            "dio.read.aligned": (0, rs, rs),
            "dio.read.buf": (1, rs, rs),
            "dio.read.len": (0, page + 1, rs),
            "dio.read.off": (0, rs, rs + 512),
        }
        files = {}
        for i in read_ids:
            rpath = self.path("dio-read-%s" % i.split(".")[-1])
            files[i] = (rpath, self.prepare_read_file(rpath, 3 * rs))
        if read_ids:
            self.pool.sync()
        for i in read_ids:
            bo, ln, fo = cases[i]
            self.dio(i, files[i][0], files[i][1], False, bo, ln, fo)
            step(i)
        write_ids = [i for i in ("dio.write.aligned", "dio.write.buf", "dio.write.len",
                                 "dio.write.off") if want(i)]
        if write_ids:
            wpath = self.path("dio-write")
            wdata = bytearray(os.urandom(6 * rs))
            write_file(wpath, bytes(wdata))
            self.pool.sync()
            cases = {
                "dio.write.aligned": (0, rs, 1 * rs),
                "dio.write.buf": (1, rs, 2 * rs),
                "dio.write.len": (0, page + 1, 3 * rs),
                "dio.write.off": (0, rs, 4 * rs + 512),
            }
            for i in write_ids:
                bo, ln, fo = cases[i]
                self.dio(i, wpath, wdata, True, bo, ln, fo)
                step(i)


ALL_IDS = ["cfr.aligned", "cfr.page", "cfr.misaligned", "cfr.odirect.aligned",
           "cfr.odirect.misaligned", "dio.read.aligned", "dio.read.buf", "dio.read.len",
           "dio.read.off", "dio.write.aligned", "dio.write.buf", "dio.write.len", "dio.write.off"]


def read_config():
    cfg = json.loads(sys.stdin.read())
    for key in ("scratchDir", "runId", "pool", "recordsize", "zpool"):
        if key not in cfg:
            raise RunnerError("BAD_INPUT", "runner config lacks %r" % key)
    if not os.path.isabs(cfg["scratchDir"]):
        raise RunnerError("BAD_INPUT", "scratchDir must be absolute")
    rs = int(cfg["recordsize"])
    # 16 MiB is the largest recordsize ZFS allows; files are at most 6 records.
    if rs < 512 or rs > 16 * 1024 * 1024 or rs & (rs - 1):
        raise RunnerError("BAD_INPUT", "implausible recordsize %r" % cfg["recordsize"])
    return cfg


def main():
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)
    out = {"runner": 1, "pid": os.getpid(), "pageSize": mmap.PAGESIZE,
           "python": sys.version.split()[0]}
    scratch, identity, rc = None, None, 0
    try:
        cfg = read_config()
        # null/absent = the whole matrix; a list (even empty) = exactly those experiments
        wanted = cfg.get("experiments")
        wanted = set(ALL_IDS) if wanted is None else set(wanted)
        unknown = wanted - set(ALL_IDS)
        if unknown:
            raise RunnerError("BAD_INPUT", "unknown experiment ids: %s" % ", ".join(sorted(unknown)))
        pool = Pool(cfg["pool"], cfg["zpool"], float(cfg.get("commandTimeout", 15)))
        scratch = cfg["scratchDir"]
        identity = create_scratch(scratch, cfg["runId"])
        progress(0, len(wanted), "scratch %s" % scratch)
        matrix = Matrix(cfg, pool, scratch)
        matrix.run(wanted, len(wanted))
        # a file of several records: its dio_offset_align reflects the file's block size
        probe_file = os.path.join(scratch, "cfr-src")
        if not os.path.exists(probe_file):
            probe_file = os.path.join(scratch, "statx-probe")
            write_file(probe_file, os.urandom(4 * matrix.rs))
        out["statxDioAlign"], note = statx_dioalign(probe_file)
        if note:
            out["statxNote"] = note
        out["experiments"] = matrix.results
        out["syncMethod"] = pool.sync_method
        out["bclone"] = pool.bclone()
        out["notes"] = pool.notes
    except Interrupted as e:
        out["error"] = {"code": "CANCELLED", "message": "runner interrupted (%s)" % e}
        rc = 4
    except RunnerError as e:
        out["error"] = {"code": e.code, "message": str(e), "errno": e.errno_name}
        rc = 3
    except Exception as e:  # report, never leave a traceback instead of JSON
        out["error"] = {"code": "RUNNER_FAILED", "message": "%s: %s" % (type(e).__name__, e)}
        rc = 1
    finally:
        if scratch is not None and identity is not None:
            # a second signal during cleanup must not abort it
            for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                signal.signal(s, signal.SIG_IGN)
            out["cleanedUp"] = remove_scratch(scratch, identity)
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return rc


if __name__ == "__main__":
    sys.exit(main())

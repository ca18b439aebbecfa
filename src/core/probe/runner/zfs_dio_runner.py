#!/usr/bin/env python3
"""ZFS Direct I/O Assistant - experiment runner (Python 3 standard library only).

Started by the extension / `zfs-dio probe` as a separate process, so a kernel call that
hangs can never freeze the editor: the caller owns the timeout and can kill us.

Input:  one JSON object on stdin (see read_config). Its "plan" holds every experiment to perform,
        as the caller's catalog declares it (see check_plan and Matrix.run): this file knows none.
Output: one JSON object on stdout (the measured matrix, or {"error": {...}}).
        Progress lines on stderr:  PROGRESS <done>/<total> <step>

Every file operation goes through directory descriptors, because root runs this on shared
datasets whose directories other users may write to (a 1777 scratch area is common):
  - the scratch parent is opened component by component with O_NOFOLLOW, so a symbolic link
    anywhere in its path (the caller passes a resolved path) is refused, never followed;
  - the scratch directory is created with mkdirat and opened with O_DIRECTORY|O_NOFOLLOW, and its
    identity (owner, mode, device, emptiness) is checked with fstat before anything is written;
  - every experiment file is created and opened relative to that descriptor, so swapping the
    directory for a symbolic link after it was opened changes nothing we touch;
  - removal unlinks entries relative to the directory descriptor (unlink never follows a link)
    and removes the directory itself only while its name still names the same inode.
Leftovers of earlier runs are removed only when they are provably ours: a real directory owned
by this user with mode 0700, holding a regular-file marker owned by this user that names this
tool and the directory's own run id, written by processes that are gone. Anything else is left
alone and reported. Mode "cleanup" removes one run's directory after the caller killed it.

Why Python: os.copy_file_range, os.O_DIRECT, os.preadv/os.pwritev, dir_fd on every file call
and mmap (page-aligned anonymous buffers) are all in the standard library, and ctypes reaches
glibc's statx for STATX_DIOALIGN.  No compiler and no package is needed on the user's machine.
"""
import ctypes
import errno
import fcntl
import json
import mmap
import os
import re
import signal
import stat
import struct
import subprocess
import sys
import time

MARKER_NAME = ".zfs-dio-probe-marker.json"
TOOL_NAME = "zfs-dio-assistant"
SCRATCH_PREFIX = ".zfs-dio-probe-"
SCRATCH_NAME = re.compile(r"^\.zfs-dio-probe-([0-9a-f]{6,32})$")
RUN_ID = re.compile(r"^[0-9a-f]{6,32}$")
MAX_MARKER_BYTES = 64 * 1024
# A marker left empty by a run that failed while writing it (a full dataset) is trusted as an
# interrupted creation only once it is this old: creating one takes microseconds.
EMPTY_MARKER_AGE_S = 600
# Our scratch directories are flat; a deeper tree is not something we made.
MAX_REMOVE_DEPTH = 8
STATX_DIOALIGN = 0x00002000
AT_EMPTY_PATH = 0x1000
HANDLED_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
PATH_FLAGS = os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# linux/fs.h: _IOW(0x94, 9, int) and _IOW(0x94, 13, struct file_clone_range)
FICLONE = 0x40049409
FICLONERANGE = 0x4020940D
ARCSTATS = "/proc/spl/kstat/zfs/arcstats"


class Interrupted(BaseException):
    """Raised from the signal handler so every `finally` (cleanup) runs."""


class RunnerError(Exception):
    def __init__(self, code, message, err=None):
        Exception.__init__(self, message)
        self.code = code
        self.errno_name = errno.errorcode.get(err, None) if err else None


# Set once cleanup starts: a signal then is ignored, so it cannot interrupt the removal.
cleaning = False


def on_signal(signum, _frame):
    if not cleaning:
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
                rc, _out, err = self._zpool("sync", "--", self.name)
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
                                        "bcloneused,bclonesaved", "--", self.name)
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

    def arc_uncached(self):
        """uncached_size / uncached_hits of the ARC kstats (the ARC's uncached state, OpenZFS
        2.2+), or None when the module has no such state."""
        vals = {}
        try:
            with open(ARCSTATS) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3 and parts[0] in ("uncached_size", "uncached_hits") and parts[2].isdigit():
                        vals[parts[0]] = int(parts[2])
        except OSError:
            return None
        return vals if len(vals) == 2 else None


def uncached_grew(before, after_states, length):
    """Did the ARC's uncached state grow by at least `length` between `before` (read right before
    the call) and the states read after it? (verdict, growth): verdict is None when the module
    reports no uncached state, growth the largest increase of uncached_size seen.

    OpenZFS 2.4 serves a misaligned O_DIRECT request as uncached I/O: its buffers enter the
    uncached state and stay there while a dbuf still holds them (a partial read or write keeps
    its dbuf for the rest of the block), which can outlast any wait for that state to drain.
    Read data is there right after the call; written data only once its txg has synced (until
    then it is dirty, anonymous data), so a write passes the state read after the sync too.
    Several states may be given because a flush of older uncached buffers in between can only
    make the growth look smaller, never larger."""
    if before is None or not after_states or any(s is None for s in after_states):
        return None, None
    growth = max(s["uncached_size"] for s in after_states) - before["uncached_size"]
    return growth >= length > 0, growth


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


def statx_dioalign(fd):
    """statx of an open file (AT_EMPTY_PATH): ({memAlign, offsetAlign, blksize} | None, note)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.statx
    except (OSError, AttributeError):
        return None, "the C library has no statx() (glibc < 2.28?)"
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint,
                   ctypes.POINTER(Statx)]
    fn.restype = ctypes.c_int
    buf = Statx()
    rc = fn(fd, b"", AT_EMPTY_PATH, STATX_DIOALIGN, ctypes.byref(buf))
    if rc != 0:
        e = ctypes.get_errno()
        return None, "statx failed: %s" % errno.errorcode.get(e, str(e))
    if not buf.stx_mask & STATX_DIOALIGN:
        return None, ("statx did not return STATX_DIOALIGN (kernel < 6.1, ZFS < 2.3.2, "
                      "direct=disabled or zfs_dio_enabled=0)")
    return {"memAlign": buf.stx_dio_mem_align, "offsetAlign": buf.stx_dio_offset_align,
            "blksize": buf.stx_blksize}, None


# --------------------------------------------------------------------------------------------
# directories, through descriptors only

def space_error(e, what):
    """ENOSPC/EDQUOT as the clear message a full dataset deserves."""
    return RunnerError("NO_SPACE", "no space left on the dataset (%s while %s); free some space, "
                       "raise the quota, or probe another dataset" % (errno_name(e), what), e.errno)


def open_parent(path):
    """Opens an absolute directory path without following any symbolic link in it: the caller
    resolved the path, so a link found now means that the path changed under us. Intermediate
    components are opened with O_PATH (search permission is enough, as for a path lookup)."""
    if not os.path.isabs(path) or "\0" in path:
        raise RunnerError("BAD_INPUT", "the scratch parent must be an absolute path")
    parts = [p for p in path.split("/") if p]
    fd = os.open("/", PATH_FLAGS)
    try:
        for i, part in enumerate(parts):
            if part in (".", ".."):
                raise RunnerError("BAD_INPUT", "the scratch parent must be a resolved path (no . or ..)")
            last = i == len(parts) - 1
            try:
                try:
                    nfd = os.open(part, DIR_FLAGS if last else PATH_FLAGS, dir_fd=fd)
                except PermissionError:
                    if not last:
                        raise
                    # a directory we may write to but not list: leftovers cannot be looked for
                    nfd = os.open(part, PATH_FLAGS, dir_fd=fd)
            except OSError as e:
                here = "/" + "/".join(parts[:i + 1])
                if e.errno in (errno.ELOOP, errno.ENOTDIR):
                    try:
                        link = stat.S_ISLNK(os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode)
                    except OSError:
                        link = False
                    raise RunnerError("TAMPERED", "%s changed while the probe ran: it is now %s; nothing was written"
                                      % (here, "a symbolic link" if link else "not a directory"), e.errno)
                if e.errno in (errno.EACCES, errno.EPERM):
                    raise RunnerError("PERMISSION", "cannot open %s: %s" % (here, os.strerror(e.errno)), e.errno)
                if e.errno == errno.ENOENT:
                    raise RunnerError("BAD_INPUT", "%s does not exist" % here, e.errno)
                raise
            os.close(fd)
            fd = nfd
        if not parts:
            nfd = os.open(".", DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = nfd
    except BaseException:
        os.close(fd)
        raise
    return fd


def remove_contents(dir_fd, depth=0):
    """Removes everything inside the directory open as dir_fd, by name relative to it: unlink
    never follows a symbolic link (it removes the link), and a subdirectory is entered only
    through O_NOFOLLOW, so nothing outside the directory can be reached."""
    if depth > MAX_REMOVE_DEPTH:
        raise OSError(errno.ELOOP, "directory tree deeper than %d levels" % MAX_REMOVE_DEPTH)
    for name in os.listdir(dir_fd):
        try:
            os.unlink(name, dir_fd=dir_fd)
            continue
        except FileNotFoundError:
            continue
        except IsADirectoryError:
            pass
        sub = os.open(name, DIR_FLAGS, dir_fd=dir_fd)
        try:
            remove_contents(sub, depth + 1)
        finally:
            os.close(sub)
        os.rmdir(name, dir_fd=dir_fd)


def fd_path(fd):
    """Where the directory open as fd is now (it may have been moved), for messages."""
    try:
        return os.readlink("/proc/self/fd/%d" % fd)
    except OSError:
        return "an unknown place"


class Scratch:
    """Our scratch directory: its descriptor, its name in the parent and its identity."""

    def __init__(self, parent_fd, parent_path, name, fd):
        self.parent_fd = parent_fd
        self.name = name
        self.path = os.path.join(parent_path, name)
        self.fd = fd
        st = os.fstat(fd)
        self.identity = (st.st_dev, st.st_ino)

    def open(self, name, flags, mode=0o600):
        return os.open(name, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=self.fd)

    def remove(self):
        """(removed, problem): empties the directory through its descriptor, then removes it
        while its name in the parent still names it."""
        try:
            remove_contents(self.fd)
        except OSError as e:
            return False, "could not empty %s: %s" % (self.path, os.strerror(e.errno) if e.errno else e)
        try:
            st = os.stat(self.name, dir_fd=self.parent_fd, follow_symlinks=False)
        except FileNotFoundError:
            st = None
        if st is not None and (st.st_dev, st.st_ino) == self.identity:
            try:
                os.rmdir(self.name, dir_fd=self.parent_fd)
                return True, None
            except OSError as e:
                return False, "could not remove %s: %s" % (self.path, os.strerror(e.errno))
        return False, ("%s was moved or replaced during the run (another user may be tampering with this "
                       "directory): its files were removed through its directory handle, but the empty "
                       "directory itself is now at %s and was left there" % (self.path, fd_path(self.fd)))

    def close(self):
        os.close(self.fd)


def check_own_directory(fd, parent_st, what):
    """None when the directory open as fd has the identity of a scratch directory of ours."""
    st = os.fstat(fd)
    if not stat.S_ISDIR(st.st_mode):
        return "%s is not a directory" % what
    if st.st_uid != os.geteuid():
        return "%s is owned by uid %d, not by this user (uid %d)" % (what, st.st_uid, os.geteuid())
    if stat.S_IMODE(st.st_mode) & 0o077:
        return "%s has mode %04o, not the 0700 of a scratch directory" % (what, stat.S_IMODE(st.st_mode))
    if st.st_dev != parent_st.st_dev:
        return "another filesystem is mounted on %s" % what
    return None


def create_scratch(parent_fd, parent_path, run_id):
    """Creates, opens and marks our scratch directory; on any failure removes what it made."""
    name = SCRATCH_PREFIX + run_id
    path = os.path.join(parent_path, name)
    try:
        os.mkdir(name, 0o700, dir_fd=parent_fd)
    except FileExistsError:
        raise RunnerError("BAD_INPUT", "scratch directory %s already exists" % path)
    except OSError as e:
        if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise RunnerError("PERMISSION", "cannot create a scratch directory in %s: %s"
                              % (parent_path, os.strerror(e.errno)), e.errno)
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            raise space_error(e, "creating the scratch directory")
        raise RunnerError("RUNNER_FAILED", "cannot create %s: %s" % (path, e), e.errno)
    try:
        fd = os.open(name, DIR_FLAGS, dir_fd=parent_fd)
    except OSError as e:
        raise RunnerError("TAMPERED", "%s was replaced right after it was created (%s): another user may be "
                          "tampering with %s; nothing was written" % (path, errno_name(e), parent_path), e.errno)
    # mkdir(0700) can only lose bits to the umask or a default ACL's mask, never gain them: a
    # directory with group or other bits, or someone else's, is not the one we just made.
    try:
        problem = check_own_directory(fd, os.fstat(parent_fd), path)
        if problem is None and os.listdir(fd):
            problem = "%s is not empty" % path
    except BaseException:
        os.close(fd)
        raise
    if problem is not None:
        os.close(fd)
        raise RunnerError("TAMPERED", "%s was replaced right after it was created (%s): another user may be "
                          "tampering with %s; nothing was written" % (path, problem, parent_path))
    scratch = Scratch(parent_fd, parent_path, name, fd)
    # The marker is the first thing written: leftovers of other runs are recognised by it.
    try:
        marker = {
            "tool": TOOL_NAME, "runId": run_id,
            "pid": os.getpid(), "pidStart": proc_start_ticks(os.getpid()),
            "ppid": os.getppid(), "ppidStart": proc_start_ticks(os.getppid()),
            "startedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        mfd = scratch.open(MARKER_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        try:
            write_all(mfd, json.dumps(marker).encode())
            os.fsync(mfd)
        finally:
            os.close(mfd)
    except BaseException as e:
        scratch.remove()
        scratch.close()
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
            raise space_error(e, "writing the marker file of the scratch directory")
        if isinstance(e, OSError):
            raise RunnerError("RUNNER_FAILED", "cannot write the marker file in %s: %s" % (path, e), e.errno)
        raise
    return scratch


def process_alive(pid, start):
    """Same pid AND same start time (a reused pid is another process)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    if start is None:
        return True
    now = proc_start_ticks(pid)
    return now is None or now == start


def read_marker(dir_fd, run_id):
    """(marker dict | "interrupted" | None, reason when None)."""
    try:
        mfd = os.open(MARKER_NAME, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return None, "its marker is a symbolic link"
        if e.errno == errno.ENOENT:
            return None, "it has no marker file of this tool"
        return None, "its marker cannot be opened (%s)" % errno_name(e)
    try:
        st = os.fstat(mfd)
        if not stat.S_ISREG(st.st_mode):
            return None, "its marker is not a regular file"
        if st.st_uid != os.geteuid():
            return None, "its marker is owned by uid %d, not by this user" % st.st_uid
        if st.st_size > MAX_MARKER_BYTES:
            return None, "its marker is too large to be ours"
        if st.st_size == 0:
            if time.time() - st.st_mtime >= EMPTY_MARKER_AGE_S:
                return "interrupted", None
            return None, "its marker is empty (a run may be creating it right now)"
        data = os.read(mfd, MAX_MARKER_BYTES + 1)
    finally:
        os.close(mfd)
    try:
        m = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None, "it has no marker file of this tool"
    if not isinstance(m, dict) or m.get("tool") != TOOL_NAME or not isinstance(m.get("pid"), int):
        return None, "it has no marker file of this tool"
    if m.get("runId") != run_id:
        return None, "its marker belongs to another directory"
    return m, None


def unopenable_reason(parent_fd, name, e):
    """Why a look-alike could not be opened as a directory, from lstat (O_NOFOLLOW|O_DIRECTORY
    gives ENOTDIR for a symbolic link to a directory, EACCES for another user's 0700 directory)."""
    try:
        st = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
    except OSError:
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        return "it is a symbolic link"
    if st is not None and not stat.S_ISDIR(st.st_mode):
        return "it is not a directory"
    if st is not None and st.st_uid != os.geteuid():
        return "it is owned by uid %d, not by this user (uid %d)" % (st.st_uid, os.geteuid())
    if e.errno in (errno.EACCES, errno.EPERM):
        return "it is not readable by this user"
    return "it cannot be opened (%s)" % errno_name(e)


def remove_leftovers(parent_fd, parent_path, own_run_id):
    """Scratch directories of earlier runs, directly inside the parent: removed when provably
    ours and their processes are gone; every other look-alike is kept and named."""
    removed, kept = [], []
    try:
        names = sorted(os.listdir(parent_fd))
    except OSError as e:
        why = "this user may not list it" if e.errno in (errno.EBADF, errno.EACCES) else errno_name(e)
        return removed, kept, "%s cannot be listed (%s): leftovers of earlier runs were not looked for" % (parent_path, why)
    parent_st = os.fstat(parent_fd)
    for name in names:
        m = SCRATCH_NAME.match(name)
        if not m or m.group(1) == own_run_id:
            continue
        path = os.path.join(parent_path, name)
        try:
            fd = os.open(name, DIR_FLAGS | os.O_NONBLOCK, dir_fd=parent_fd)
        except OSError as e:
            if e.errno != errno.ENOENT:
                kept.append({"path": path, "reason": unopenable_reason(parent_fd, name, e)})
            continue
        try:
            reason = check_own_directory(fd, parent_st, "it")
            marker = None
            if reason is None:
                marker, reason = read_marker(fd, m.group(1))
            if reason is None and marker != "interrupted":
                if process_alive(marker.get("pid"), marker.get("pidStart")):
                    reason = "its runner (pid %d) is still running" % marker["pid"]
                elif process_alive(marker.get("ppid"), marker.get("ppidStart")):
                    reason = "its probe (pid %d) is still running" % marker["ppid"]
            if reason is not None:
                kept.append({"path": path, "reason": reason})
                continue
            leftover = Scratch(parent_fd, parent_path, name, fd)
            ok, problem = leftover.remove()
            if ok:
                removed.append(path)
            else:
                kept.append({"path": path, "reason": problem})
        except OSError as e:
            kept.append({"path": path, "reason": "it could not be removed (%s)" % errno_name(e)})
        finally:
            os.close(fd)
    return removed, kept, None


def cleanup_run(parent_fd, parent_path, run_id):
    """After the caller killed a runner: removes that run's directory. Its name holds our random
    run id and it is owned by this user with mode 0700, so it is ours even when the runner died
    before it wrote the marker. Anything else under that name is not ours and is left alone."""
    name = SCRATCH_PREFIX + run_id
    try:
        fd = os.open(name, DIR_FLAGS | os.O_NONBLOCK, dir_fd=parent_fd)
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.ELOOP, errno.ENOTDIR):
            return True, None
        return False, "%s may be left behind: %s" % (os.path.join(parent_path, name), os.strerror(e.errno))
    try:
        if check_own_directory(fd, os.fstat(parent_fd), name) is not None:
            return True, None
        return Scratch(parent_fd, parent_path, name, fd).remove()
    finally:
        os.close(fd)


# --------------------------------------------------------------------------------------------
# experiments

def write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def write_file(scratch, name, data):
    fd = scratch.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_range(scratch, name, off, length):
    fd = scratch.open(name, os.O_RDONLY)
    try:
        return os.pread(fd, length, off)
    finally:
        os.close(fd)


class Matrix:
    def __init__(self, cfg, pool, scratch):
        self.cfg = cfg
        self.pool = pool
        self.scratch = scratch
        self.rs = int(cfg["recordsize"])
        self.page = mmap.PAGESIZE
        self.results = []
        self.counter = 0
        self.contents = {}
        # the first synced file, a file of several records: its dio_offset_align reflects the file's block size
        self.statx_file = None

    def record(self, exp_id, result, err, nbytes, cloned, io, data_ok, params):
        self.results.append({"id": exp_id, "result": result, "errno": err, "bytes": nbytes,
                             "cloned": cloned, "io": io, "dataOk": data_ok, "params": params})

    def alignment(self, length, off_src, off_dst):
        """Whether a copy's length and both offsets are multiples of the record size, and of the page size."""
        rs, page = self.rs, self.page
        return {"recordAligned": length % rs == 0 and off_src % rs == 0 and off_dst % rs == 0,
                "pageAligned": length % page == 0 and off_src % page == 0 and off_dst % page == 0}

    def between(self, src, dst, flags, call):
        """call(source fd, new destination fd) with src opened read-only and dst created, both with flags.

        Returns (what call returned, None), or (None, the errno's name) when an open or the call failed;
        both descriptors are closed either way."""
        try:
            fs = self.scratch.open(src, os.O_RDONLY | flags)
            try:
                fd = self.scratch.open(dst, os.O_RDWR | os.O_CREAT | os.O_EXCL | flags)
                try:
                    return call(fs, fd), None
                finally:
                    os.close(fd)
            finally:
                os.close(fs)
        except OSError as e:
            return None, errno_name(e)

    # -- copy_file_range ------------------------------------------------------------------
    def cfr(self, exp_id, src, data, length, off_src, off_dst, odirect):
        rs, page = self.rs, self.page
        self.counter += 1
        dst = "cfr-dst-%d" % self.counter
        params = {"length": length, "srcOffset": off_src, "dstOffset": off_dst,
                  "oDirect": odirect, "recordsize": rs, "pageSize": page}
        params.update(self.alignment(length, off_src, off_dst))
        before = self.pool.bclone()
        n, err = self.between(src, dst, os.O_DIRECT if odirect else 0,
                              lambda fs, fd: os.copy_file_range(fs, fd, length, off_src, off_dst))
        if err is not None:
            self.record(exp_id, "error", err, None, None, "unknown", None, params)
            return
        params["shortCopy"] = n < length
        got = read_range(self.scratch, dst, off_dst, n)
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
        uncached_before = self.pool.arc_uncached()
        try:
            if write:
                window[:] = payload
            fd = self.scratch.open(path, (os.O_RDWR if write else os.O_RDONLY) | os.O_DIRECT)
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
        uncached_states = [self.pool.arc_uncached()]
        if write and before is not None:
            self.pool.sync()          # ARC writes reach the counters only when the txg syncs
            uncached_states.append(self.pool.arc_uncached())
        after = self.pool.iostats()
        io, deltas = io_from_counters(before, after, "write" if write else "read", n)
        params.update(deltas)
        if io == "arc":
            io = self.arc_or_uncached(path, file_off, n, uncached_before, uncached_states, params)
        if write:
            data_ok = read_range(self.scratch, path, file_off, n) == payload[:n]
            expected[file_off:file_off + n] = payload[:n]
        else:
            data_ok = got == bytes(expected[file_off:file_off + n])
        self.record(exp_id, "ok", None, n, None, io, data_ok, params)

    def arc_or_uncached(self, path, off, length, before, after_states, params):
        """'uncached' or 'arc' for a request that went through the ARC. The uncached state's
        growth decides first (see uncached_grew). Without it, the request may still have been
        uncached: a whole-block request's buffers leave the uncached state as soon as its dbuf
        is released, before any kstat can be read, and only a re-read shows that nothing stayed
        cached. A module that reports no uncached state has no uncached I/O: 'arc' as before."""
        grew, growth = uncached_grew(before, after_states, length)
        if grew is None:
            return "arc"
        params["arcUncachedSizeBefore"] = before["uncached_size"]
        params["arcUncachedSizeAfter"] = after_states[0]["uncached_size"]
        if len(after_states) > 1:
            params["arcUncachedSizeAfterSync"] = after_states[-1]["uncached_size"]
        params["arcUncachedGrowth"] = growth
        if grew:
            params["uncachedEvidence"] = "kstat"
            return "uncached"
        if self.left_arc(path, off, length, params):
            params["uncachedEvidence"] = "reread"
            return "uncached"
        return "arc"

    def left_arc(self, path, off, length, params):
        """True when data that just went through the ARC is no longer cached, where cached I/O
        stays in the ARC: a re-read of the range that has to go to the disks (the pool's
        arc_read_bytes grows by the range) found nothing cached. The re-read follows at once:
        the uncached state holds buffers for as long as a dbuf keeps them, so waiting for it to
        drain can last longer than any wait. How often the re-read was served from that state
        (uncached_hits) is recorded with it."""
        hits_before = self.pool.arc_uncached()
        before = self.pool.iostats()
        read_range(self.scratch, path, off, length)
        after = self.pool.iostats()
        hits_after = self.pool.arc_uncached()
        if hits_before is not None and hits_after is not None:
            params["rereadUncachedHits"] = hits_after["uncached_hits"] - hits_before["uncached_hits"]
        if before is None or after is None or "arc_read_bytes" not in before:
            return False
        reread = after["arc_read_bytes"] - before["arc_read_bytes"]
        params["rereadArcReadBytes"] = reread
        return reread >= length > 0

    # -- FICLONE / FICLONERANGE ----------------------------------------------------------
    def ficlone(self, exp_id, src, data, clone_range, fresh):
        """FICLONE of the whole source (clone_range None) or FICLONERANGE (length, src, dst)."""
        rs, page = self.rs, self.page
        self.counter += 1
        dst = "ficlone-dst-%d" % self.counter
        params = {"recordsize": rs, "pageSize": page, "freshSource": fresh}
        if clone_range is None:
            length, off_src, off_dst = len(data), 0, 0
            params["wholeFile"] = True
        else:
            length, off_src, off_dst = clone_range
            params.update({"length": length, "srcOffset": off_src, "dstOffset": off_dst})
            params.update(self.alignment(length, off_src, off_dst))
        before = self.pool.bclone()

        def clone(fs, fd):
            if clone_range is None:
                fcntl.ioctl(fd, FICLONE, fs)
            else:
                fcntl.ioctl(fd, FICLONERANGE, struct.pack("qQQQ", fs, off_src, length, off_dst))
        _, err = self.between(src, dst, 0, clone)
        if err is not None:
            self.record(exp_id, "error", err, None, None, "unknown", None, params)
            return
        got = read_range(self.scratch, dst, off_dst, length)
        data_ok = got == data[off_src:off_src + length]
        cloned = None
        if before is not None:
            self.pool.sync()
            after = self.pool.bclone()
            if after is not None:
                params["bclonesavedDelta"] = after[1] - before[1]
                cloned = after[1] > before[1]
        self.record(exp_id, "ok", None, length, cloned, "unknown", data_ok, params)

    def prepare_uncached_file(self, path, size):
        """Record 0 buffered, the rest with aligned O_DIRECT writes: data written direct is not
        left in the ARC, so a later direct read has to reach the disks and shows in the
        counters, and a later misaligned write finds no cached dbuf to update in place, which
        would make an uncached write look cached (a new file's first block always goes through
        the ARC)."""
        rs = self.rs
        data = bytearray(os.urandom(size))
        write_file(self.scratch, path, bytes(data[:rs]))
        mm = mmap.mmap(-1, rs)
        try:
            fd = self.scratch.open(path, os.O_WRONLY | os.O_DIRECT)
            try:
                for off in range(rs, size, rs):
                    mm[:] = data[off:off + rs]
                    os.pwrite(fd, mm, off)
            finally:
                os.close(fd)
        except OSError:
            # O_DIRECT writes refused (e.g. ZFS < 0.8): a buffered file still serves the reads.
            fd = self.scratch.open(path, os.O_WRONLY)
            try:
                os.pwrite(fd, bytes(data[rs:]), rs)
                os.fsync(fd)
            finally:
                os.close(fd)
        finally:
            mm.close()
        return data

    def size(self, s):
        """A plan's size in bytes: records x recordsize + pages x page size + bytes."""
        return s.get("records", 0) * self.rs + s.get("pages", 0) * self.page + s.get("bytes", 0)

    def prepare(self, name, nrecords, how):
        """Writes one of a phase's files the way the plan says; returns its content."""
        size = nrecords * self.rs
        if how == "out-of-arc":
            return self.prepare_uncached_file(name, size)
        data = os.urandom(size)
        if how == "synced":
            write_file(self.scratch, name, data)
            if self.statx_file is None:
                self.statx_file = name
        else:
            # dirty: no fsync, so the blocks stay in the open txg
            fd = self.scratch.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            try:
                write_all(fd, data)
            finally:
                os.close(fd)
        return data

    def perform(self, e, how):
        """One experiment of the plan, by its kind."""
        name = e["file"]["name"]
        data = self.contents[name]
        kind = e["kind"]
        if kind == "copy_file_range":
            self.cfr(e["id"], name, data, self.size(e["length"]), self.size(e["srcOffset"]),
                     self.size(e["dstOffset"]), e["oDirect"])
        elif kind == "FICLONE":
            self.ficlone(e["id"], name, data, None, how == "dirty")
        elif kind == "FICLONERANGE":
            self.ficlone(e["id"], name, data, (self.size(e["length"]), self.size(e["srcOffset"]),
                                              self.size(e["dstOffset"])), how == "dirty")
        else:
            self.dio(e["id"], name, data, kind == "pwrite", self.size(e["bufferOffset"]),
                     self.size(e["length"]), self.size(e["offset"]))

    def run(self, plan):
        """Each phase of the plan: its files written as it says (a synced or out-of-ARC file is
        followed by one pool sync for the phase, which puts them on disk), then its experiments,
        in order."""
        total = sum(len(phase["experiments"]) for phase in plan)
        done = 0
        for phase in plan:
            how = phase["prepare"]
            files = []
            for e in phase["experiments"]:
                if e["file"] not in files:
                    files.append(e["file"])
            for f in files:
                self.contents[f["name"]] = self.prepare(f["name"], f["records"], how)
            if files and how != "dirty":
                self.pool.sync()
            for e in phase["experiments"]:
                self.perform(e, how)
                done += 1
                progress(done, total, e["id"])


# What a plan may hold. The caller's experiment catalog declares the experiments; these checks
# keep a malformed plan from naming a file outside the scratch directory's own plain names or
# from filling a dataset.
KINDS = {
    "copy_file_range": ("length", "srcOffset", "dstOffset"),
    "FICLONE": (),
    "FICLONERANGE": ("length", "srcOffset", "dstOffset"),
    "pread": ("bufferOffset", "length", "offset"),
    "pwrite": ("bufferOffset", "length", "offset"),
}
PREPARATIONS = ("synced", "dirty", "out-of-arc")
FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
EXPERIMENT_ID = re.compile(r"^[a-z0-9][a-z0-9.]{0,63}$")
MAX_FILE_RECORDS = 8
SIZE_LIMITS = {"records": MAX_FILE_RECORDS, "pages": 1024, "bytes": 1024 * 1024}


def check_plan(plan):
    """Raises BAD_INPUT unless the plan has the shape the runner performs."""
    def bad(what):
        raise RunnerError("BAD_INPUT", "runner plan: %s" % what)

    def is_count(v, most):
        return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= most

    if not isinstance(plan, list):
        bad("not a list of phases")
    file_phase, ids = {}, set()
    for n, phase in enumerate(plan):
        if not isinstance(phase, dict) or phase.get("prepare") not in PREPARATIONS:
            bad("a phase needs prepare: one of %s" % ", ".join(PREPARATIONS))
        if not isinstance(phase.get("experiments"), list):
            bad("a phase needs a list of experiments")
        for e in phase["experiments"]:
            if not isinstance(e, dict) or not isinstance(e.get("id"), str) or not EXPERIMENT_ID.match(e["id"]):
                bad("an experiment needs an id of lowercase letters, digits and dots")
            if e["id"] in ids:
                bad("%s is planned twice" % e["id"])
            ids.add(e["id"])
            if e.get("kind") not in KINDS:
                bad("%s: unknown kind %r" % (e["id"], e.get("kind")))
            f = e.get("file")
            if (not isinstance(f, dict) or not isinstance(f.get("name"), str) or not FILE_NAME.match(f["name"])
                    or not is_count(f.get("records"), MAX_FILE_RECORDS) or f["records"] < 1):
                bad("%s: a file needs a plain lowercase name and 1 to %d records" % (e["id"], MAX_FILE_RECORDS))
            # a file belongs to one phase, which writes it once
            if file_phase.setdefault(f["name"], (n, f["records"])) != (n, f["records"]):
                bad("%s: file %s is declared by two phases or with two sizes" % (e["id"], f["name"]))
            for key in KINDS[e["kind"]]:
                s = e.get(key)
                if (not isinstance(s, dict) or not set(s) <= set(SIZE_LIMITS)
                        or not all(is_count(s[k], SIZE_LIMITS[k]) for k in s)):
                    bad("%s: %s must be a size in records, pages and bytes" % (e["id"], key))
            if e["kind"] == "copy_file_range" and not isinstance(e.get("oDirect"), bool):
                bad("%s: oDirect must be true or false" % e["id"])


def read_config():
    cfg = json.loads(sys.stdin.read())
    mode = cfg.get("mode", "run")
    if mode not in ("run", "cleanup"):
        raise RunnerError("BAD_INPUT", "unknown runner mode %r" % mode)
    required = ("workDir", "runId") if mode == "cleanup" else ("workDir", "runId", "pool", "recordsize", "zpool", "plan")
    for key in required:
        if key not in cfg:
            raise RunnerError("BAD_INPUT", "runner config lacks %r" % key)
    if not isinstance(cfg["workDir"], str) or not os.path.isabs(cfg["workDir"]):
        raise RunnerError("BAD_INPUT", "workDir must be an absolute path")
    if not isinstance(cfg["runId"], str) or not RUN_ID.match(cfg["runId"]):
        raise RunnerError("BAD_INPUT", "runId must be 6 to 32 lowercase hex digits")
    if mode == "run":
        rs = int(cfg["recordsize"])
        # 16 MiB is the largest recordsize ZFS allows; files are at most MAX_FILE_RECORDS records.
        if rs < 512 or rs > 16 * 1024 * 1024 or rs & (rs - 1):
            raise RunnerError("BAD_INPUT", "implausible recordsize %r" % cfg["recordsize"])
        check_plan(cfg["plan"])
    return cfg


def run_matrix(cfg, parent_fd, scratch, out):
    # the plan holds exactly the experiments to run (none, when it is empty)
    plan = cfg["plan"]
    pool = Pool(cfg["pool"], cfg["zpool"], float(cfg.get("commandTimeout", 15)))
    progress(0, sum(len(phase["experiments"]) for phase in plan), "scratch %s" % scratch.path)
    matrix = Matrix(cfg, pool, scratch)
    try:
        matrix.run(plan)
        if matrix.statx_file is None:
            matrix.statx_file = "statx-probe"
            write_file(scratch, matrix.statx_file, os.urandom(4 * matrix.rs))
        fd = scratch.open(matrix.statx_file, os.O_RDONLY)
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            raise space_error(e, "writing the experiment files")
        raise
    try:
        out["statxDioAlign"], note = statx_dioalign(fd)
    finally:
        os.close(fd)
    if note:
        out["statxNote"] = note
    out["experiments"] = matrix.results
    out["syncMethod"] = pool.sync_method
    out["bclone"] = pool.bclone()
    out["notes"] = pool.notes


def main():
    global cleaning
    for s in HANDLED_SIGNALS:
        signal.signal(s, on_signal)
    out = {"runner": 1, "pid": os.getpid(), "pageSize": mmap.PAGESIZE,
           "python": sys.version.split()[0]}
    parent_fd, scratch, rc = None, None, 0
    try:
        cfg = read_config()
        parent_fd = open_parent(cfg["workDir"])
        if cfg.get("mode") == "cleanup":
            ok, problem = cleanup_run(parent_fd, cfg["workDir"], cfg["runId"])
            out["cleanedUp"], out["cleanupProblem"] = ok, problem
        else:
            removed, kept, note = remove_leftovers(parent_fd, cfg["workDir"], cfg["runId"])
            out["leftovers"] = {"removed": removed, "kept": kept, "note": note}
            # Signals wait until `scratch` is assigned: the finally below then always knows
            # what to remove, however early a cancel arrives.
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, HANDLED_SIGNALS)
            try:
                scratch = create_scratch(parent_fd, cfg["workDir"], cfg["runId"])
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            run_matrix(cfg, parent_fd, scratch, out)
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
        cleaning = True
        if scratch is not None:
            out["cleanedUp"], out["cleanupProblem"] = scratch.remove()
            scratch.close()
        elif "cleanedUp" not in out:
            # No directory of ours exists (or, when it was replaced right after mkdir, none can be
            # found: the error says so): there is nothing to clean up.
            out["cleanedUp"] = True
        if parent_fd is not None:
            os.close(parent_fd)
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return rc


if __name__ == "__main__":
    sys.exit(main())

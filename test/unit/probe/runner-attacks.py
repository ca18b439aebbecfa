"""Plays an attacker (or a full disk) at the exact moments that matter inside the real runner:
the runner module is imported and one os function is wrapped so that, right after the runner's
own call, another process's action happens (a rename, a symlink) or the call fails as a full
dataset would. Each scenario runs the runner's main() on a fresh directory and prints what it
reported and what is left on disk, one JSON object per line; runner-attacks.test.ts asserts.

usage: python3 runner-attacks.py RUNNER_SCRIPT SCENARIO WORK_DIR OUTSIDE_DIR PLAN_JSON
(PLAN_JSON: the runner plan of the experiments to run, as the caller builds it from its catalog)
"""
import errno
import importlib.util
import io
import json
import os
import signal
import sys

# importing the runner must not leave a __pycache__ next to it (that directory is shipped)
sys.dont_write_bytecode = True
runner_path, scenario, work, outside, plan = sys.argv[1:6]
spec = importlib.util.spec_from_file_location("zfs_dio_runner", runner_path)
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)

RUN_ID = "abcabcabcabc"
NAME = runner.SCRATCH_PREFIX + RUN_ID
real_mkdir, real_open, real_write = os.mkdir, os.open, os.write


def swap_for_symlink(*args, **kwargs):
    """mkdir, then at once what an inotify watcher in a 0777 directory can do: move the new
    directory away and put a symbolic link to another directory in its place."""
    real_mkdir(*args, **kwargs)
    os.rename(os.path.join(work, NAME), os.path.join(work, "moved-away"))
    os.symlink(outside, os.path.join(work, NAME))


def move_after_first_experiment_file(name, flags, *args, **kwargs):
    """Once the runner has created its first experiment file, the directory is moved away and
    a symbolic link planted under its name (the runner holds the directory open by then)."""
    fd = real_open(name, flags, *args, **kwargs)
    if name == "cfr-src" and os.path.isdir(os.path.join(work, NAME)) and not os.path.islink(os.path.join(work, NAME)):
        os.rename(os.path.join(work, NAME), os.path.join(work, "moved-away"))
        os.symlink(outside, os.path.join(work, NAME))
    return fd


def full_on_marker(fd, data):
    """The dataset is full: creating the marker file works, writing its content does not."""
    if b'"tool"' in bytes(data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return real_write(fd, data)


def over_quota_on_experiments(fd, data):
    if b'"tool"' in bytes(data):
        return real_write(fd, data)
    raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))


def signal_while_creating(*args, **kwargs):
    """A cancel that arrives between mkdir and the marker: it must wait until the runner knows
    its directory, then clean it up."""
    real_mkdir(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGTERM)


PATCHES = {
    "swap-after-mkdir": ("mkdir", swap_for_symlink),
    "move-during-run": ("open", move_after_first_experiment_file),
    "enospc-marker": ("write", full_on_marker),
    "edquot-experiments": ("write", over_quota_on_experiments),
    "signal-while-creating": ("mkdir", signal_while_creating),
}
attr, fn = PATCHES[scenario]
setattr(runner.os, attr, fn)

zpool = os.path.join(os.path.dirname(work), "zpool")
with open(zpool, "w") as f:
    f.write("#!/bin/sh\nexit 0\n")
os.chmod(zpool, 0o755)
config = {"mode": "run", "workDir": work, "runId": RUN_ID, "pool": "nopool", "recordsize": 16384,
          "zpool": zpool, "plan": [] if scenario == "signal-while-creating" else json.loads(plan)}
sys.stdin = io.StringIO(json.dumps(config))
captured = io.StringIO()
real_stdout, sys.stdout = sys.stdout, captured
try:
    rc = runner.main()
finally:
    sys.stdout = real_stdout
    setattr(runner.os, attr, {"mkdir": real_mkdir, "open": real_open, "write": real_write}[attr])


def listing(d):
    out = {}
    for root, dirs, files in os.walk(d):
        for n in dirs + files:
            p = os.path.join(root, n)
            out[os.path.relpath(p, d)] = "link" if os.path.islink(p) else "dir" if os.path.isdir(p) else "file"
    return out


print(json.dumps({"rc": rc, "report": json.loads(captured.getvalue().strip().splitlines()[-1]),
                  "work": listing(work), "outside": listing(outside)}))

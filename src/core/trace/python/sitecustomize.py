# Loaded by `zfs-dio trace` through PYTHONPATH into every Python process the traced command starts.
# strace sees the interpreter's C frames, not the script's lines, so before each os/fcntl call that
# the trace checks, this asks the kernel to read a link whose name carries the caller's file and
# line. The call fails (the name does not exist) and costs one system call; strace records it in
# the same thread just before the real call, which is how the trace knows the script's line.
import os
import sys

_PREFIX = "/.zfs-dio-trace-frame/"
_WRAPPED = {
    os: ("open", "read", "write", "pread", "pwrite", "readv", "writev", "preadv", "pwritev",
         "copy_file_range", "lseek"),
}


def _mark(depth):
    try:
        frame = sys._getframe(depth)
        os.readlink("%s%d/%s/%s" % (_PREFIX, frame.f_lineno, frame.f_code.co_name, frame.f_code.co_filename))
    except (OSError, ValueError):
        pass


def _wrap(original):
    def traced(*args, **kwargs):
        _mark(2)
        return original(*args, **kwargs)
    traced.__name__ = original.__name__
    traced.__doc__ = original.__doc__
    traced.__wrapped__ = original
    return traced


for _module, _names in _WRAPPED.items():
    for _name in _names:
        _fn = getattr(_module, _name, None)
        if _fn is not None:
            setattr(_module, _name, _wrap(_fn))

try:
    import fcntl as _fcntl
    _fcntl.ioctl = _wrap(_fcntl.ioctl)
    _fcntl.fcntl = _wrap(_fcntl.fcntl)
except ImportError:
    pass


def _chain_users_sitecustomize():
    # A sitecustomize of the user's own would have been shadowed by this one: run it too.
    import importlib.machinery
    import importlib.util
    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)


try:
    _chain_users_sitecustomize()
except Exception as error:  # the user's own file failing must not look like ours
    sys.stderr.write("sitecustomize: %s\n" % (error,))

# Pattern: an image builder's file copy that computes FICLONE with its own _IOC()/_IOW() from the argument type's size looked up in a dictionary, clones whole files with fcntl.ioctl on descriptors opened by a close-on-exec context manager, and falls back to shutil.copyfileobj when the clone is refused with EXDEV or EOPNOTSUPP (modelled on mkosi's mkosi/__init__.py, _IOC()/_IOW(), FICLONE, open_close(), _reflink(), copy_fd(), copy_file_object() and copy_file()).
# zdio-category: call-form
import contextlib
import errno
import fcntl
import os
import shutil
import sys
from typing import BinaryIO, Iterator

_IOC_NRBITS = 8
_IOC_TYPEBITS = 8
_IOC_SIZEBITS = 14

_IOC_NRSHIFT = 0
_IOC_TYPESHIFT = _IOC_NRSHIFT + _IOC_NRBITS
_IOC_SIZESHIFT = _IOC_TYPESHIFT + _IOC_TYPEBITS
_IOC_DIRSHIFT = _IOC_SIZESHIFT + _IOC_SIZEBITS

_IOC_WRITE = 1


def _IOC(dir_rw: int, type_drv: int, nr: int, argtype: str) -> int:
    size = {"int": 4, "size_t": 8}[argtype]
    return dir_rw << _IOC_DIRSHIFT | type_drv << _IOC_TYPESHIFT | nr << _IOC_NRSHIFT | size << _IOC_SIZESHIFT


def _IOW(type_drv: int, nr: int, argtype: str) -> int:
    return _IOC(_IOC_WRITE, type_drv, nr, argtype)


FICLONE = _IOW(0x94, 9, "int")


@contextlib.contextmanager
def open_close(path: str, flags: int, mode: int = 0o664) -> Iterator[int]:
    fd = os.open(path, flags | os.O_CLOEXEC, mode)
    try:
        yield fd
    finally:
        os.close(fd)


def _reflink(oldfd: int, newfd: int) -> None:
    fcntl.ioctl(newfd, FICLONE, oldfd)  # zdio-expect-site: ficlone


def copy_fd(oldfd: int, newfd: int) -> None:
    try:
        _reflink(oldfd, newfd)
    except OSError as e:
        if e.errno not in {errno.EXDEV, errno.EOPNOTSUPP}:
            raise
        shutil.copyfileobj(open(oldfd, "rb", closefd=False), open(newfd, "wb", closefd=False))  # zdio-expect-none: copy_file_range, o_direct_io


def copy_file_object(oldobject: BinaryIO, newobject: BinaryIO) -> None:
    try:
        _reflink(oldobject.fileno(), newobject.fileno())
    except OSError as e:
        if e.errno not in {errno.EXDEV, errno.EOPNOTSUPP}:
            raise
        shutil.copyfileobj(oldobject, newobject)  # zdio-expect-none: copy_file_range


def copy_file(oldpath: str, newpath: str) -> None:
    if os.path.islink(oldpath):
        os.symlink(os.readlink(oldpath), newpath)
        return

    with open_close(oldpath, os.O_RDONLY) as oldfd:
        st = os.stat(oldfd)
        try:
            with open_close(newpath, os.O_WRONLY | os.O_CREAT | os.O_EXCL, st.st_mode) as newfd:
                copy_fd(oldfd, newfd)
        except FileExistsError:
            os.unlink(newpath)
            with open_close(newpath, os.O_WRONLY | os.O_CREAT, st.st_mode) as newfd:
                copy_fd(oldfd, newfd)
    shutil.copystat(oldpath, newpath, follow_symlinks=False)


def copy_tree(src: str, dst: str) -> None:
    for root, dirs, files in os.walk(src):
        rel = os.path.relpath(root, src)
        target = os.path.normpath(os.path.join(dst, rel))
        os.makedirs(target, exist_ok=True)
        for name in files:
            copy_file(os.path.join(root, name), os.path.join(target, name))


def write_manifest(dst: str, names: list) -> None:
    with open(os.path.join(dst, "manifest.txt"), "w") as f:
        for name in names:
            f.write(name + "\n")  # zdio-expect-none: o_direct_io, ZDIO002


def main(argv: list) -> int:
    if len(argv) != 3:
        print(f"usage: {argv[0]} SRC DST", file=sys.stderr)
        return 2
    copy_tree(argv[1], argv[2])
    with open(os.path.join(argv[1], "os-release"), "rb") as src, open(os.path.join(argv[2], "os-release.copy"), "wb") as dst:
        copy_file_object(src, dst)
    write_manifest(argv[2], sorted(os.listdir(argv[2])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

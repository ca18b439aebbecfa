// Pattern: the same operations through the nix and rustix wrappers instead of libc: copy_file_range, ioctl_ficlone, open with OFlag::O_DIRECT and pread/pwrite (modelled on rustix's fs::copy_file_range wrapper in rustix/src/fs/copy_file_range.rs and nix's fcntl module).
// zdio-category: call-form
use std::fs::File;
use std::io;
use std::os::fd::AsFd;

use nix::fcntl::{self, OFlag};
use nix::sys::stat::Mode;

const RECORD: usize = 128 * 1024;

pub fn clone_or_copy(src: &File, dst: &File, len: usize) -> io::Result<()> {
    if rustix::fs::ioctl_ficlone(dst, src).is_ok() { // zdio-expect-site: ficlone
        return Ok(());
    }
    let mut off_in: i64 = 0;
    let mut off_out: i64 = 0;
    let mut left = len;
    while left > 0 {
        let n = fcntl::copy_file_range(src.as_fd(), Some(&mut off_in), dst.as_fd(), Some(&mut off_out), left.min(RECORD))?; // zdio-expect-site: copy_file_range
        if n == 0 {
            break;
        }
        left -= n;
    }
    Ok(())
}

pub fn copy_superblock(src: &File, dst: &File) -> io::Result<u64> {
    let mut off: u64 = 0;
    let n = rustix::fs::copy_file_range(src, Some(&mut off), dst, None, 8192)?; // zdio-expect-site: copy_file_range, zdio-expect: ZDIO010
    Ok(n as u64)
}

pub fn stamp(path: &str) -> nix::Result<()> {
    let fd = fcntl::open(path, OFlag::O_WRONLY | OFlag::O_DIRECT, Mode::empty())?; // zdio-expect-site: o_direct_open
    let stamp = vec![0x5au8; 4096];
    nix::sys::uio::pwrite(&fd, &stamp, 4096)?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
    let rfd = rustix::fs::open(path, rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECT, rustix::fs::Mode::empty()).map_err(|e| nix::Error::from_raw(e.raw_os_error()))?; // zdio-expect-site: o_direct_open
    let mut small = [0u8; 100];
    rustix::io::pread(&rfd, &mut small, 0).map_err(|e| nix::Error::from_raw(e.raw_os_error()))?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
    Ok(())
}

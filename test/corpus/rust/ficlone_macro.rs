// Pattern: the FICLONE request number as a macro_rules! constant, used as FICLONE!() in libc::ioctl, plus a nix ioctl_write_ptr! wrapper for FICLONERANGE (modelled on uutils coreutils' src/uu/cp/src/platform/linux.rs and nix's ioctl macros).
// zdio-category: rust-macro
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::io::AsRawFd;
use std::path::Path;

// linux/fs.h defines FICLONE as _IOW(0x94, 9, int). The request argument of libc::ioctl has a
// different integer type on different targets, so an untyped literal from a macro fits them all.
macro_rules! FICLONE {
    () => {
        0x40049409
    };
}

nix::ioctl_write_ptr!(ficlonerange, 0x94, 13, libc::file_clone_range);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReflinkMode {
    Always,
    Auto,
    Never,
}

fn clone_file(source: &File, dest: &File) -> io::Result<()> {
    let result = unsafe { libc::ioctl(dest.as_raw_fd(), FICLONE!(), source.as_raw_fd()) }; // zdio-expect-site: ficlone
    if result != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Clones the first extent only, for `--reflink=auto` on sparse images.
fn clone_first_extent(source: &File, dest: &File) -> io::Result<()> {
    let range = libc::file_clone_range {
        src_fd: source.as_raw_fd() as i64,
        src_offset: 0,
        src_length: 65536, // zdio-expect: ZDIO020
        dest_offset: 0,
    };
    unsafe { ficlonerange(dest.as_raw_fd(), &range) }.map_err(io::Error::from)?; // zdio-expect-site: ficlone
    Ok(())
}

/// The plain fallback: read and write through a heap buffer (no O_DIRECT here).
fn copy_bytes(mut source: &File, mut dest: &File) -> io::Result<()> {
    use std::io::{Read, Write};
    let mut buf = vec![0u8; 128 * 1024];
    loop {
        let n = source.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        dest.write_all(&buf[..n])?;
    }
}

pub fn copy_on_write(source: &Path, dest: &Path, mode: ReflinkMode) -> io::Result<()> {
    let src_file = File::open(source)?;
    let dst_file = OpenOptions::new().write(true).create(true).truncate(true).open(dest)?;
    match mode {
        ReflinkMode::Always => clone_file(&src_file, &dst_file),
        ReflinkMode::Auto => clone_file(&src_file, &dst_file)
            .or_else(|_| clone_first_extent(&src_file, &dst_file))
            .or_else(|_| copy_bytes(&src_file, &dst_file)),
        ReflinkMode::Never => {
            eprintln!("not using FICLONE for {}", source.display()); // zdio-expect-none: ficlone
            copy_bytes(&src_file, &dst_file)
        }
    }
}

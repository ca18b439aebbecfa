// Pattern: the clone request numbers computed with ioctl-sys's iow! macro from the size of the argument type, passed to libc::ioctl through try_into(), for a whole-file reflink and for a FICLONERANGE on a #[repr(C)] struct built by a helper (modelled on the reflink-copy crate's src/sys/unix/linux.rs).
// zdio-category: call-form
use std::convert::TryInto;
use std::fs;
use std::io;
use std::mem::size_of;
use std::os::unix::io::AsRawFd;
use std::path::Path;

use ioctl_sys::iow;
use libc::c_int;

const C_INT_SIZE: usize = size_of::<c_int>();
const FICLONE: u32 = iow!(0x94, 9, C_INT_SIZE);

#[repr(C)]
struct FileCloneRange {
    src_fd: i64,
    src_offset: u64,
    src_length: u64,
    dest_offset: u64,
}

const FICLONERANGE: u32 = iow!(0x94, 13, size_of::<FileCloneRange>());

/// Clones the whole of `from` into a new file `to`, removing `to` again when the clone fails.
pub fn reflink(from: &Path, to: &Path) -> io::Result<()> {
    let src = fs::File::open(from)?;
    let dest = fs::OpenOptions::new().write(true).create_new(true).open(to)?;
    let ret = unsafe {
        libc::ioctl( // zdio-expect-site: ficlone
            dest.as_raw_fd(),
            FICLONE.try_into().unwrap(),
            src.as_raw_fd(),
        )
    };
    if ret == -1 {
        let err = io::Error::last_os_error();
        let _ = fs::remove_file(to);
        return Err(err);
    }
    Ok(())
}

fn clone_range(src: &fs::File, dest: &fs::File, range: FileCloneRange) -> io::Result<()> {
    let ret = unsafe { libc::ioctl(dest.as_raw_fd(), FICLONERANGE.try_into().unwrap(), &range) }; // zdio-expect-site: ficlone
    if ret == -1 {
        return Err(io::Error::last_os_error());
    }
    let _ = src;
    Ok(())
}

/// Shares the packed index, which starts after a one-block header, with a copy.
pub fn share_index(src: &fs::File, dest: &fs::File) -> io::Result<()> {
    let range = FileCloneRange {
        src_fd: src.as_raw_fd() as i64,
        src_offset: 4096, // zdio-expect: ZDIO020
        src_length: 0,
        dest_offset: 4096,
    };
    clone_range(src, dest, range)
}

/// Shares whole records of the data area; the index lives in the first record.
pub fn share_data(src: &fs::File, dest: &fs::File) -> io::Result<()> {
    let range = FileCloneRange {
        src_fd: src.as_raw_fd() as i64,
        src_offset: 131072, // zdio-expect-none: ZDIO020
        src_length: 4 * 131072,
        dest_offset: 131072,
    };
    clone_range(src, dest, range)
}

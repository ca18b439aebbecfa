// Pattern: copy_file_range declared through a syscall! { fn … } macro that falls back to libc::syscall, then called in a copy loop and by a fixed-range helper (modelled on std's library/std/src/sys/pal/unix/kernel_copy.rs, copy_regular_files() with its syscall! declaration and HAS_COPY_FILE_RANGE probe state).
// zdio-category: rust-macro
use std::io;
use std::os::unix::io::RawFd;
use std::ptr;
use std::sync::atomic::{AtomicU8, Ordering};

/// Declares a function that issues the raw system call of the same name.
macro_rules! syscall {
    (fn $name:ident($($arg_name:ident: $t:ty),*) -> $ret:ty) => {
        unsafe fn $name($($arg_name: $t),*) -> $ret {
            let nr = match stringify!($name) {
                "copy_file_range" => libc::SYS_copy_file_range,
                _ => unreachable!(),
            };
            libc::syscall(nr, $($arg_name),*) as $ret
        }
    };
}

syscall! {
    fn copy_file_range(fd_in: libc::c_int, off_in: *mut libc::loff_t, fd_out: libc::c_int, off_out: *mut libc::loff_t, len: libc::size_t, flags: libc::c_uint) -> libc::ssize_t
}

const UNKNOWN: u8 = 0;
const MISSING: u8 = 1;
const PRESENT: u8 = 2;
static HAS_COPY_FILE_RANGE: AtomicU8 = AtomicU8::new(UNKNOWN);

fn cvt(r: libc::ssize_t) -> io::Result<usize> {
    if r < 0 { Err(io::Error::last_os_error()) } else { Ok(r as usize) }
}

/// Copies up to max_len bytes at the file positions; Ok(None) asks the caller to fall back.
pub fn copy_regular(reader: RawFd, writer: RawFd, max_len: u64) -> io::Result<Option<u64>> {
    if HAS_COPY_FILE_RANGE.load(Ordering::Relaxed) == MISSING {
        return Ok(None);
    }
    let mut written = 0u64;
    while written < max_len {
        let chunk = std::cmp::min(max_len - written, 0x4000_0000) as usize;
        match cvt(unsafe { copy_file_range(reader, ptr::null_mut(), writer, ptr::null_mut(), chunk, 0) }) { // zdio-expect-site: copy_file_range
            Ok(0) if written == 0 => return Ok(None),
            Ok(0) => break,
            Ok(n) => {
                HAS_COPY_FILE_RANGE.store(PRESENT, Ordering::Relaxed);
                written += n as u64;
            }
            Err(e) if written == 0 && matches!(e.raw_os_error(), Some(libc::ENOSYS | libc::EXDEV | libc::EPERM | libc::EOPNOTSUPP)) => {
                HAS_COPY_FILE_RANGE.store(MISSING, Ordering::Relaxed);
                return Ok(None);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Some(written))
}

/// Copies the 64 KiB boot area of a disk image to the same place in the copy.
pub fn copy_boot_area(reader: RawFd, writer: RawFd) -> io::Result<usize> {
    let mut off_in: libc::loff_t = 0;
    let mut off_out: libc::loff_t = 0;
    cvt(unsafe { copy_file_range(reader, &mut off_in, writer, &mut off_out, 64 * 1024, 0) }) // zdio-expect-site: copy_file_range, zdio-expect: ZDIO010
}

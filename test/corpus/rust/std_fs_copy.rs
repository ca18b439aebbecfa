// Pattern: a local unsafe wrapper around the raw copy_file_range syscall, remembered-unavailable in a static, called in a loop and by a helper with constant ranges; plus a read helper for an O_DIRECT file (modelled on the Linux fs::copy in Rust's library/std/src/sys/unix/fs.rs before kernel_copy.rs, with HAS_COPY_FILE_RANGE).
// zdio-category: cross-function
use std::cmp;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::Path;
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};

// Once the kernel has said ENOSYS, later copies do not ask again.
static HAS_COPY_FILE_RANGE: AtomicBool = AtomicBool::new(true);

unsafe fn raw_copy_file_range(
    fd_in: libc::c_int,
    off_in: *mut libc::loff_t,
    fd_out: libc::c_int,
    off_out: *mut libc::loff_t,
    len: libc::size_t,
    flags: libc::c_uint,
) -> libc::c_long {
    libc::syscall(libc::SYS_copy_file_range, fd_in, off_in, fd_out, off_out, len, flags) // zdio-expect-site: copy_file_range
}

fn cvt(r: libc::c_long) -> io::Result<libc::c_long> {
    if r == -1 { Err(io::Error::last_os_error()) } else { Ok(r) }
}

/// The most one request asks for; larger files take several rounds.
const MAX_ROUND: u64 = 0x7fff_f000;

pub fn copy(from: &Path, to: &Path) -> io::Result<u64> {
    let reader = File::open(from)?;
    let total = reader.metadata()?.len();
    let writer = OpenOptions::new().write(true).create(true).truncate(true).open(to)?;
    let mut done = 0u64;
    while done < total && HAS_COPY_FILE_RANGE.load(Ordering::Relaxed) {
        let step = cmp::min(total - done, MAX_ROUND) as usize;
        match cvt(unsafe { raw_copy_file_range(reader.as_raw_fd(), ptr::null_mut(), writer.as_raw_fd(), ptr::null_mut(), step, 0) }) {
            Ok(0) => break,
            Ok(n) => done += n as u64,
            Err(e) if e.raw_os_error() == Some(libc::ENOSYS) => HAS_COPY_FILE_RANGE.store(false, Ordering::Relaxed),
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// Clones the 192 KiB prefix of an image at fixed offsets before the bulk copy.
pub fn copy_prefix(src: &File, dst: &File) -> io::Result<()> {
    let mut off_in: libc::loff_t = 0;
    let mut off_out: libc::loff_t = 262_144;
    cvt(unsafe { raw_copy_file_range(src.as_raw_fd(), &mut off_in, dst.as_raw_fd(), &mut off_out, 196_608, 0) })?; // zdio-expect: ZDIO010
    Ok(())
}

fn read_block(f: &File, buf: &mut [u8], off: u64) -> io::Result<()> {
    f.read_exact_at(buf, off) // zdio-expect-site: o_direct_io
}

#[repr(C, align(4096))]
struct Page([u8; 4096]);

pub fn verify(path: &Path) -> io::Result<()> {
    let f = OpenOptions::new().read(true).custom_flags(libc::O_DIRECT).open(path)?; // zdio-expect-site: o_direct_open
    let mut heap = vec![0u8; 4096];
    read_block(&f, &mut heap, 0)?; // zdio-expect: ZDIO001
    let mut page = Page([0; 4096]);
    read_block(&f, &mut page.0[..1000], 4096)?; // zdio-expect: ZDIO002, zdio-expect-none: ZDIO001
    read_block(&f, &mut page.0, 8192)?; // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
    Ok(())
}

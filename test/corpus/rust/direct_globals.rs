// Pattern: a log whose descriptor is stored in a static AtomicI32 by init() and loaded by the append and marker functions, with the open flags as a module constant (modelled on the statics that std's kernel_copy.rs keeps for syscall state, HAS_COPY_FILE_RANGE, used here for a descriptor).
// zdio-category: file-scope-state
use std::ffi::CStr;
use std::io;
use std::sync::atomic::{AtomicI32, Ordering};

const OPEN_FLAGS: libc::c_int = libc::O_WRONLY | libc::O_CREAT | libc::O_DIRECT;
const MARKER_LEN: usize = 16;

static LOG_FD: AtomicI32 = AtomicI32::new(-1);

pub fn init(path: &CStr) -> io::Result<()> {
    let fd = unsafe { libc::open(path.as_ptr(), OPEN_FLAGS, 0o644) }; // zdio-expect-site: o_direct_open
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    LOG_FD.store(fd, Ordering::SeqCst);
    Ok(())
}

/// Appends one pre-formatted, page-sized record at the given offset.
pub fn append(rec: &[u8], off: i64) -> io::Result<()> {
    let fd = LOG_FD.load(Ordering::SeqCst);
    let n = unsafe { libc::pwrite(fd, rec.as_ptr() as *const libc::c_void, rec.len(), off) }; // zdio-expect-site: o_direct_io
    if n < 0 { Err(io::Error::last_os_error()) } else { Ok(()) }
}

/// Stamps the end-of-log marker at the start of the file.
pub fn write_marker() -> io::Result<()> {
    let fd = LOG_FD.load(Ordering::SeqCst);
    let marker = [0xffu8; MARKER_LEN];
    let n = unsafe { libc::pwrite(fd, marker.as_ptr() as *const libc::c_void, marker.len(), 0) }; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
    if n < 0 { Err(io::Error::last_os_error()) } else { Ok(()) }
}

pub fn close() {
    let fd = LOG_FD.swap(-1, Ordering::SeqCst);
    if fd >= 0 {
        unsafe { libc::close(fd) };
    }
}

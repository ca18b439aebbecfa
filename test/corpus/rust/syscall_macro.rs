// Pattern: libc calls made through a local syscall! macro that turns -1 into io::Error, including fcntl(F_SETFL) adding O_DIRECT and a pread probe (modelled on mio's and std's sys/unix syscall! macro, used as syscall!(fcntl(fd, libc::F_SETFL, flags | …))).
// zdio-category: rust-macro
use std::ffi::CStr;
use std::io;
use std::os::unix::io::RawFd;

/// Calls the libc function of that name and maps the -1 convention to io::Error.
macro_rules! syscall {
    ($name:ident($($arg:expr),* $(,)?)) => {
        match unsafe { libc::$name($($arg),*) } {
            -1 => Err(io::Error::last_os_error()),
            ok => Ok(ok),
        }
    };
}

/// Turns on direct I/O for an already open descriptor.
pub fn set_direct(fd: RawFd) -> io::Result<()> {
    let flags = syscall!(fcntl(fd, libc::F_GETFL))?;
    syscall!(fcntl(fd, libc::F_SETFL, flags | libc::O_DIRECT))?; // zdio-expect-site: o_direct_open
    Ok(())
}

pub fn open_direct(path: &CStr) -> io::Result<RawFd> {
    syscall!(open(path.as_ptr(), libc::O_RDWR | libc::O_DIRECT | libc::O_CLOEXEC)) // zdio-expect-site: o_direct_open
}

/// Reads the first sector to check that the device answers.
pub fn probe(path: &CStr) -> io::Result<usize> {
    let fd = open_direct(path)?;
    let mut buf = vec![0u8; 512];
    let n = syscall!(pread(fd, buf.as_mut_ptr() as *mut libc::c_void, buf.len(), 0)); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
    let _ = syscall!(close(fd));
    Ok(n? as usize)
}

pub fn reopen_direct(fd: RawFd) -> io::Result<()> {
    set_direct(fd)?;
    let layout = std::alloc::Layout::from_size_align(4096, 4096).expect("layout");
    let page = unsafe { std::alloc::alloc_zeroed(layout) };
    let res = syscall!(pread(fd, page as *mut libc::c_void, 4096, 0)); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
    unsafe { std::alloc::dealloc(page, layout) };
    res.map(|_| ())
}

// Pattern: copy_file_range as a project function over libc::syscall(SYS_copy_file_range) taking &mut offsets, used by a doc-style example that copies a short message, by a chunked copy and by a copy out of a file opened with O_DIRECT through nc-style openat (modelled on XuShaohua's nc crate, src/calls/copy_file_range.rs and its doc example).
// zdio-category: cross-function
use std::ffi::CString;
use std::io;

const CHUNK: usize = 1 << 20;

pub unsafe fn copy_file_range(fd_in: i32, off_in: &mut i64, fd_out: i32, off_out: &mut i64, len: usize, flags: u32) -> io::Result<isize> {
    let ret = libc::syscall( // zdio-expect-site: copy_file_range
        libc::SYS_copy_file_range,
        fd_in,
        off_in as *mut i64,
        fd_out,
        off_out as *mut i64,
        len,
        flags,
    );
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret as isize)
    }
}

fn openat(path: &str, flags: i32) -> io::Result<i32> {
    let c = CString::new(path).unwrap();
    let fd = unsafe { libc::openat(libc::AT_FDCWD, c.as_ptr(), flags, 0o644) }; // zdio-expect-site: o_direct_open
    if fd < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(fd)
    }
}

fn example() -> io::Result<()> {
    let fd_in = openat("/tmp/nc-copy-file-range.in", libc::O_RDWR | libc::O_CREAT)?;
    let msg = b"Hello, rust";
    let n = unsafe { libc::write(fd_in, msg.as_ptr() as *const libc::c_void, msg.len()) }; // zdio-expect-none: o_direct_io, ZDIO001, ZDIO002
    assert_eq!(n, msg.len() as isize);
    let fd_out = openat("/tmp/nc-copy-file-range.out", libc::O_WRONLY | libc::O_CREAT)?;
    let mut off_in = 0;
    let mut off_out = 0;
    let copy_len = 64;
    let ret = unsafe { copy_file_range(fd_in, &mut off_in, fd_out, &mut off_out, copy_len, 0) }; // zdio-expect: ZDIO010
    assert_eq!(ret?, msg.len() as isize);
    unsafe {
        libc::close(fd_in);
        libc::close(fd_out);
    }
    Ok(())
}

fn copy_chunked(fd_in: i32, fd_out: i32, total: usize) -> io::Result<usize> {
    let mut off_in = 0i64;
    let mut off_out = 0i64;
    let mut done = 0usize;
    while done < total {
        let copied = unsafe { copy_file_range(fd_in, &mut off_in, fd_out, &mut off_out, CHUNK, 0)? }; // zdio-expect-none: ZDIO010
        if copied == 0 {
            break;
        }
        done += copied as usize;
    }
    Ok(done)
}

fn copy_from_direct(path_in: &str, path_out: &str) -> io::Result<isize> {
    let fd_in = openat(path_in, libc::O_RDONLY | libc::O_DIRECT)?;
    let fd_out = openat(path_out, libc::O_WRONLY | libc::O_CREAT)?;
    let mut off_in = 0;
    let mut off_out = 0;
    let res = unsafe { copy_file_range(fd_in, &mut off_in, fd_out, &mut off_out, CHUNK, 0) }; // zdio-expect: ZDIO011, zdio-expect-none: ZDIO010
    unsafe {
        libc::close(fd_in);
        libc::close(fd_out);
    }
    res
}

fn main() -> io::Result<()> {
    example()?;
    let fd_in = openat("/tmp/image.raw", libc::O_RDONLY)?;
    let fd_out = openat("/tmp/image.copy", libc::O_WRONLY | libc::O_CREAT)?;
    let n = copy_chunked(fd_in, fd_out, 64 * CHUNK)?;
    println!("copied {} bytes", n);
    copy_from_direct("/tmp/image.raw", "/tmp/image.direct-copy")?;
    Ok(())
}

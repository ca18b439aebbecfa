// Pattern: platform code inside cfg_if! blocks: copy_file_range and an O_DIRECT open on Linux, a plain fallback elsewhere (modelled on std's library/std/src/sys/pal/unix/kernel_copy.rs copy_regular_files() and the cfg_if! platform selection of the libc crate).
// zdio-category: rust-macro
use std::fs::File;
use std::io;
use std::os::unix::io::AsRawFd;
use std::ptr;

cfg_if::cfg_if! {
    if #[cfg(any(target_os = "linux", target_os = "android"))] {
        const SEGMENT: usize = 64 * 1024;

        /// One round of copy_file_range at the current file positions.
        fn copy_range(src: &File, dst: &File, len: usize) -> io::Result<usize> {
            let n = unsafe { libc::copy_file_range(src.as_raw_fd(), ptr::null_mut(), dst.as_raw_fd(), ptr::null_mut(), len, 0) }; // zdio-expect-site: copy_file_range
            if n < 0 { Err(io::Error::last_os_error()) } else { Ok(n as usize) }
        }

        /// Copies the first segment at fixed offsets, the way an image tool copies a boot area.
        fn copy_boot_area(src: &File, dst: &File) -> io::Result<usize> {
            let mut off_in: libc::loff_t = 0;
            let mut off_out: libc::loff_t = 0;
            let n = unsafe { libc::copy_file_range(src.as_raw_fd(), &mut off_in, dst.as_raw_fd(), &mut off_out, SEGMENT, 0) }; // zdio-expect-site: copy_file_range, zdio-expect: ZDIO010
            if n < 0 { Err(io::Error::last_os_error()) } else { Ok(n as usize) }
        }

        fn open_direct(path: &std::ffi::CStr) -> io::Result<i32> {
            let fd = unsafe { libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_DIRECT) }; // zdio-expect-site: o_direct_open
            if fd < 0 { Err(io::Error::last_os_error()) } else { Ok(fd) }
        }
    } else {
        fn copy_range(_src: &File, _dst: &File, _len: usize) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::Unsupported))
        }

        fn copy_boot_area(_src: &File, _dst: &File) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::Unsupported))
        }

        fn open_direct(_path: &std::ffi::CStr) -> io::Result<i32> {
            Err(io::Error::from(io::ErrorKind::Unsupported))
        }
    }
}

pub fn copy_all(src: &File, dst: &File, mut remaining: usize) -> io::Result<()> {
    copy_boot_area(src, dst)?;
    while remaining > 0 {
        let n = copy_range(src, dst, remaining.min(1 << 30))?;
        if n == 0 {
            break;
        }
        remaining -= n;
    }
    Ok(())
}

pub fn check_direct(path: &std::ffi::CStr) -> bool {
    match open_direct(path) {
        Ok(fd) => {
            unsafe { libc::close(fd) };
            true
        }
        Err(_) => false,
    }
}

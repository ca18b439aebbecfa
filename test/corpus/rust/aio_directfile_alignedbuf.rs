// Pattern: a DirectFile type of a libaio binding crate that opens with its own O_DIRECT constant (0x4000) combined with the open mode and access, and whose pread/pwrite take an AlignedBuf and use its length, used by code that writes a one-page header, whole-record data and a short trailer (modelled on jsgf/libaio-rust's src/directio.rs DirectFile::open(), pread() and pwrite() and its src/aligned.rs AlignedBuf::from_slice()).
// zdio-category: cross-function
use std::ffi::CString;
use std::io;
use std::path::Path;

use libc::c_void;

const O_DIRECT: i32 = 0x4000; // Linux

pub struct AlignedBuf {
    ptr: *mut u8,
    len: usize,
}

impl AlignedBuf {
    pub fn new(len: usize, align: usize) -> Option<AlignedBuf> {
        let mut p: *mut c_void = std::ptr::null_mut();
        if unsafe { libc::posix_memalign(&mut p, align, len) } != 0 {
            return None;
        }
        unsafe { std::ptr::write_bytes(p as *mut u8, 0, len) };
        Some(AlignedBuf { ptr: p as *mut u8, len })
    }

    pub fn from_slice(data: &[u8], align: usize) -> Option<AlignedBuf> {
        let buf = AlignedBuf::new(data.len(), align)?;
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), buf.ptr, data.len()) };
        Some(buf)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn as_ptr(&self) -> *const u8 {
        self.ptr
    }

    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.ptr
    }
}

impl Drop for AlignedBuf {
    fn drop(&mut self) {
        unsafe { libc::free(self.ptr as *mut c_void) };
    }
}

pub enum Mode {
    Open,
    Append,
    Truncate,
}

pub enum FileAccess {
    Read,
    Write,
    ReadWrite,
}

pub struct DirectFile {
    fd: i32,
    alignment: usize,
}

fn retry<F: Fn() -> isize>(f: F) -> isize {
    loop {
        let n = f();
        if n != -1 || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return n;
        }
    }
}

impl DirectFile {
    pub fn open<P: AsRef<Path>>(path: P, mode: Mode, fa: FileAccess, alignment: usize) -> io::Result<DirectFile> {
        let flags = O_DIRECT
            | match mode {
                Mode::Open => 0,
                Mode::Append => libc::O_APPEND,
                Mode::Truncate => libc::O_TRUNC,
            };
        let (flags, perm) = match fa {
            FileAccess::Read => (flags | libc::O_RDONLY, 0),
            FileAccess::Write => (flags | libc::O_WRONLY | libc::O_CREAT, libc::S_IRUSR | libc::S_IWUSR),
            FileAccess::ReadWrite => (flags | libc::O_RDWR | libc::O_CREAT, libc::S_IRUSR | libc::S_IWUSR),
        };
        let cpath = CString::new(path.as_ref().to_str().unwrap_or("")).unwrap();
        match retry(|| unsafe { libc::open(cpath.as_ptr(), flags, perm as libc::c_uint) as isize }) { // zdio-expect-site: o_direct_open
            -1 => Err(io::Error::last_os_error()),
            fd => Ok(DirectFile { fd: fd as i32, alignment }),
        }
    }

    pub fn alignment(&self) -> usize {
        self.alignment
    }

    pub fn pread(&self, buf: &mut AlignedBuf, off: u64) -> io::Result<usize> {
        let r = unsafe { libc::pread(self.fd, buf.as_mut_ptr() as *mut c_void, buf.len(), off as libc::off_t) }; // zdio-expect-site: o_direct_io
        if r < 0 { Err(io::Error::last_os_error()) } else { Ok(r as usize) }
    }

    pub fn pwrite(&self, buf: &AlignedBuf, off: u64) -> io::Result<usize> {
        let r = unsafe { libc::pwrite(self.fd, buf.as_ptr() as *const c_void, buf.len(), off as libc::off_t) }; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
        if r < 0 { Err(io::Error::last_os_error()) } else { Ok(r as usize) }
    }
}

impl Drop for DirectFile {
    fn drop(&mut self) {
        unsafe { libc::close(self.fd) };
    }
}

fn main() -> io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "direct.dat".to_string());
    let file = DirectFile::open(&path, Mode::Truncate, FileAccess::ReadWrite, 4096)?;
    let align = file.alignment();

    let header = AlignedBuf::from_slice(&[b'x'; 4096], align).expect("buf alloc");
    file.pwrite(&header, 0)?; // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003

    let data = AlignedBuf::from_slice(&vec![0x5au8; 1 << 20], align).expect("buf alloc");
    file.pwrite(&data, 1 << 20)?; // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004

    let trailer = AlignedBuf::from_slice(b"end-of-log\n", align).expect("buf alloc");
    file.pwrite(&trailer, 2 << 20)?; // zdio-expect: ZDIO002, zdio-expect-none: ZDIO001, ZDIO003

    let mut back = AlignedBuf::new(4096, align).expect("buf alloc");
    file.pread(&mut back, 512)?; // zdio-expect: ZDIO003, zdio-expect-none: ZDIO001, ZDIO002
    Ok(())
}

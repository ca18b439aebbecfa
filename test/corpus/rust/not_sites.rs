// Pattern: a FUSE file system that implements copy_file_range and ioctl handlers, checks OFlags::DIRECT on open, and serves aligned reads (modelled on fuser's Filesystem trait implementations and rustix's OFlags).
// zdio-category: negative
use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::os::unix::fs::{FileExt, OpenOptionsExt};

pub struct Request;
pub struct ReplyWrite;
impl ReplyWrite {
    pub fn written(self, _n: u32) {}
    pub fn error(self, _e: i32) {}
}

pub trait Filesystem {
    fn copy_file_range(&mut self, req: &Request, ino_in: u64, fh_in: u64, offset_in: i64, ino_out: u64, fh_out: u64, offset_out: i64, len: u64, flags: u32, reply: ReplyWrite);
    fn open_flags(&mut self, name: &OsStr, flags: i32) -> bool;
}

pub struct PassFs {
    backing: Vec<File>,
}

impl Filesystem for PassFs {
    fn copy_file_range(&mut self, _req: &Request, _ino_in: u64, fh_in: u64, offset_in: i64, _ino_out: u64, fh_out: u64, offset_out: i64, len: u64, _flags: u32, reply: ReplyWrite) { // zdio-expect-none: copy_file_range
        let (Some(src), Some(dst)) = (self.backing.get(fh_in as usize), self.backing.get(fh_out as usize)) else {
            reply.error(libc::EBADF);
            return;
        };
        let mut buf = vec![0u8; len as usize];
        match src.read_at(&mut buf, offset_in as u64).and_then(|n| dst.write_at(&buf[..n], offset_out as u64)) {
            Ok(n) => reply.written(n as u32),
            Err(e) => reply.error(e.raw_os_error().unwrap_or(libc::EIO)),
        }
    }

    fn open_flags(&mut self, name: &OsStr, flags: i32) -> bool {
        let direct = rustix::fs::OFlags::from_bits_retain(flags as u32).contains(rustix::fs::OFlags::DIRECT);
        if direct {
            log::debug!("{:?} asked for O_DIRECT; served buffered", name);
        }
        direct
    }
}

/// Direct reads done right: page-aligned memory, page-multiple lengths and offsets.
pub fn read_aligned(path: &str) -> std::io::Result<u8> {
    let file = OpenOptions::new().read(true).custom_flags(libc::O_DIRECT).open(path)?; // zdio-expect-site: o_direct_open
    let layout = Layout::from_size_align(64 * 1024, 4096).expect("layout");
    let ptr = unsafe { alloc_zeroed(layout) };
    let buf = unsafe { std::slice::from_raw_parts_mut(ptr, 64 * 1024) };
    let res = file.read_at(buf, 128 * 1024); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
    let first = buf[0];
    unsafe { dealloc(ptr, layout) };
    res.map(|_| first)
}

pub fn describe() -> String {
    format!("supports copy_file_range, FICLONE and O_DIRECT: {}", cfg!(target_os = "linux"))
}

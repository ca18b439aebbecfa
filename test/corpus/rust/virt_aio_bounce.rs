// Pattern: a VMM's block backend that opens the image with custom_flags(libc::O_DIRECT) when direct is set and describes each guest request as an AioCb (direct, req_align and buf_align from the disk, descriptor, iovecs, offset, byte count); requests that its own check finds misaligned to req_align (512 by default) go through a page-aligned memalign() bounce buffer widened to req_align with round_down/round_up, and the rest go straight to preadv/pwritev (modelled on StratoVirt's util/src/aio/mod.rs, AioCb, request_misaligned(), handle_misaligned_rw() with its bounce buffer, and util/src/aio/raw.rs raw_read()/raw_write()/raw_readv()/raw_writev()).
// zdio-category: cross-function
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::{AsRawFd, RawFd};

use libc::c_void;

/// The alignment assumed for direct requests when the image does not say otherwise.
const DEFAULT_REQ_ALIGN: u32 = 512;
const DEFAULT_BUF_ALIGN: u32 = 512;
/// Max bytes of bounce buffer for misaligned IO.
const MAX_LEN_BOUNCE_BUFF: u64 = 1 << 20;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OpCode {
    Preadv,
    Pwritev,
}

#[derive(Clone)]
pub struct Iovec {
    pub iov_base: u64,
    pub iov_len: u64,
}

pub struct AioCb {
    pub direct: bool,
    pub req_align: u32,
    pub buf_align: u32,
    pub file_fd: RawFd,
    pub opcode: OpCode,
    pub iovec: Vec<Iovec>,
    pub offset: usize,
    pub nbytes: u64,
}

pub struct RawDisk {
    file: File,
    direct: bool,
    req_align: u32,
    buf_align: u32,
}

fn host_page_size() -> u64 {
    // SAFETY: sysconf has no preconditions.
    unsafe { libc::sysconf(libc::_SC_PAGESIZE) as u64 }
}

fn round_down(x: u64, align: u64) -> u64 {
    x & !(align - 1)
}

fn round_up(x: u64, align: u64) -> u64 {
    (x + align - 1) & !(align - 1)
}

fn raw_read(fd: RawFd, buf: u64, size: usize, offset: usize) -> i64 {
    // SAFETY: the caller owns size bytes at buf.
    unsafe { libc::pread(fd, buf as *mut c_void, size, offset as libc::off_t) as i64 } // zdio-expect-site: o_direct_io
}

fn raw_write(fd: RawFd, buf: u64, size: usize, offset: usize) -> i64 {
    // SAFETY: the caller owns size bytes at buf.
    unsafe { libc::pwrite(fd, buf as *const c_void, size, offset as libc::off_t) as i64 } // zdio-expect-site: o_direct_io
}

fn raw_readv(fd: RawFd, iovec: &[Iovec], offset: usize) -> i64 {
    // SAFETY: Iovec has the layout of libc::iovec and the caller owns the segments.
    unsafe { libc::preadv(fd, iovec.as_ptr() as *const libc::iovec, iovec.len() as i32, offset as libc::off_t) as i64 } // zdio-expect-site: o_direct_io
}

fn raw_writev(fd: RawFd, iovec: &[Iovec], offset: usize) -> i64 {
    // SAFETY: Iovec has the layout of libc::iovec and the caller owns the segments.
    unsafe { libc::pwritev(fd, iovec.as_ptr() as *const libc::iovec, iovec.len() as i32, offset as libc::off_t) as i64 } // zdio-expect-site: o_direct_io
}

fn request_misaligned(cb: &AioCb) -> bool {
    if !cb.direct {
        return false;
    }
    if (cb.offset as u64) & (cb.req_align as u64 - 1) != 0 {
        return true;
    }
    cb.iovec.iter().any(|iov| {
        iov.iov_base & (cb.buf_align as u64 - 1) != 0 || iov.iov_len & (cb.req_align as u64 - 1) != 0
    })
}

/// Widens a write to whole req_align units: load them, patch the request in, write them back.
fn handle_misaligned_write(cb: &AioCb) -> i64 {
    let offset_align = round_down(cb.offset as u64, cb.req_align as u64);
    let high_align = round_up(cb.offset as u64 + cb.nbytes, cb.req_align as u64);
    let len = high_align - offset_align;
    if len > MAX_LEN_BOUNCE_BUFF {
        return -1;
    }
    // SAFETY: freed below; aligned to the host page.
    let bounce = unsafe { libc::memalign(host_page_size() as usize, len as usize) };
    if bounce.is_null() {
        return -1;
    }
    let mut ret = raw_read(cb.file_fd, bounce as u64, len as usize, offset_align as usize); // zdio-expect: ZDIO002, zdio-expect-none: ZDIO001, ZDIO003
    if ret == len as i64 {
        let mut at = bounce as u64 + (cb.offset as u64 - offset_align);
        for iov in &cb.iovec {
            // SAFETY: both ranges are inside buffers the request and we own.
            unsafe { std::ptr::copy_nonoverlapping(iov.iov_base as *const u8, at as *mut u8, iov.iov_len as usize) };
            at += iov.iov_len;
        }
        ret = raw_write(cb.file_fd, bounce as u64, len as usize, offset_align as usize); // zdio-expect: ZDIO002, zdio-expect-none: ZDIO001, ZDIO003
    }
    // SAFETY: allocated above and no longer used.
    unsafe { libc::free(bounce) };
    if ret == len as i64 { cb.nbytes as i64 } else { -1 }
}

pub fn submit_request(cb: &AioCb) -> i64 {
    if request_misaligned(cb) && cb.opcode == OpCode::Pwritev {
        return handle_misaligned_write(cb);
    }
    match cb.opcode {
        OpCode::Preadv => raw_readv(cb.file_fd, &cb.iovec, cb.offset),
        OpCode::Pwritev => raw_writev(cb.file_fd, &cb.iovec, cb.offset),
    }
}

pub fn open_disk(path: &str, direct: bool) -> io::Result<RawDisk> {
    let mut options = OpenOptions::new();
    options.read(true).write(true);
    if direct {
        options.custom_flags(libc::O_DIRECT); // zdio-expect-site: o_direct_open
    }
    let file = options.open(path)?;
    let (req_align, buf_align) = if direct { (DEFAULT_REQ_ALIGN, DEFAULT_BUF_ALIGN) } else { (1, 1) };
    Ok(RawDisk { file, direct, req_align, buf_align })
}

fn request(disk: &RawDisk, opcode: OpCode, buf: *mut c_void, len: u64, offset: usize) -> AioCb {
    AioCb {
        direct: disk.direct,
        req_align: disk.req_align,
        buf_align: disk.buf_align,
        file_fd: disk.file.as_raw_fd(),
        opcode,
        iovec: vec![Iovec { iov_base: buf as u64, iov_len: len }],
        offset,
        nbytes: len,
    }
}

fn main() -> io::Result<()> {
    let path = std::env::args().nth(1).expect("usage: vblk IMAGE");
    let disk = open_disk(&path, true)?;
    let page = host_page_size() as usize;
    // SAFETY: page-aligned guest buffer, freed at the end.
    let guest = unsafe { libc::memalign(page, 64 * 1024) };
    assert!(!guest.is_null());

    // the image header, one page at the start
    let hdr = request(&disk, OpCode::Preadv, guest, 4096, 0); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
    if submit_request(&hdr) != 4096 {
        return Err(io::Error::last_os_error());
    }
    // a guest sector write: 512 bytes at sector 1 passes the 512-byte check and goes direct
    let sector = request(&disk, OpCode::Pwritev, guest, 512, 512); // zdio-expect: ZDIO002, ZDIO003
    submit_request(&sector);
    // a 64 KiB cluster
    let cluster = request(&disk, OpCode::Pwritev, guest, 64 * 1024, 64 * 1024); // zdio-expect: ZDIO004, zdio-expect-none: ZDIO002, ZDIO003
    submit_request(&cluster);
    // a byte-granular write from the guest firmware goes through the bounce buffer
    let stamp = request(&disk, OpCode::Pwritev, guest, 100, 10); // zdio-expect-none: ZDIO002, ZDIO003
    submit_request(&stamp);

    // SAFETY: allocated above.
    unsafe { libc::free(guest) };
    Ok(())
}

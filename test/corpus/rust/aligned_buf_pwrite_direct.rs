// Pattern: a direct-I/O helper module with an AlignedBuf over posix_memalign, open_with_o_direct() through custom_flags(libc::O_DIRECT | libc::O_SYNC), and pwrite_direct()/pread_direct() that check the buffer, length and offset against the buffer's own alignment and loop over libc::pwrite/libc::pread on EINTR and short counts; whole-file writes are padded to an alignment probed at run time (modelled on a Rust storage tool's AlignedBuf, open_with_o_direct(), pwrite_direct(), pread_direct(), detect_alignment_from_path() and write_aligned_file()).
// zdio-category: cross-function
use std::ffi::c_void;
use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::os::unix::io::{AsRawFd, RawFd};
use std::path::Path;
use std::ptr;

pub struct AlignedBuf {
    ptr: *mut u8,
    size: usize,
    alignment: usize,
}

impl AlignedBuf {
    pub fn new(size: usize, alignment: usize) -> io::Result<Self> {
        if size == 0 || alignment == 0 || !alignment.is_power_of_two() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "bad size or alignment"));
        }
        let mut p: *mut c_void = ptr::null_mut();
        let ret = unsafe { libc::posix_memalign(&mut p, alignment, size) };
        if ret != 0 {
            return Err(io::Error::from_raw_os_error(ret));
        }
        Ok(AlignedBuf { ptr: p as *mut u8, size, alignment })
    }

    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.size) }
    }

    pub fn as_ptr(&self) -> *const u8 {
        self.ptr as *const u8
    }

    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.ptr
    }

    pub fn len(&self) -> usize {
        self.size
    }

    pub fn alignment(&self) -> usize {
        self.alignment
    }
}

impl Drop for AlignedBuf {
    fn drop(&mut self) {
        unsafe { libc::free(self.ptr as *mut c_void) };
    }
}

pub fn open_with_o_direct(path: &Path) -> io::Result<std::fs::File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .custom_flags(libc::O_DIRECT | libc::O_SYNC) // zdio-expect-site: o_direct_open
        .open(path)
}

fn misaligned(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, format!("{} not aligned", what))
}

pub fn pwrite_direct(fd: RawFd, buf: &AlignedBuf, offset: u64) -> io::Result<usize> {
    if buf.len() % buf.alignment() != 0 {
        return Err(misaligned("length"));
    }
    if (offset as usize) % buf.alignment() != 0 {
        return Err(misaligned("offset"));
    }
    let mut written = 0usize;
    let mut off = offset as libc::off_t;
    while written < buf.len() {
        let p = unsafe { buf.as_ptr().add(written) } as *const c_void;
        let ret = unsafe { libc::pwrite(fd, p, buf.len() - written, off) }; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
        if ret < 0 {
            let err = io::Error::last_os_error();
            if err.raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return Err(err);
        }
        if ret == 0 {
            break;
        }
        written += ret as usize;
        off += ret as libc::off_t;
    }
    Ok(written)
}

pub fn pread_direct(fd: RawFd, buf: &mut AlignedBuf, offset: u64) -> io::Result<usize> {
    if buf.len() % buf.alignment() != 0 {
        return Err(misaligned("length"));
    }
    if (offset as usize) % buf.alignment() != 0 {
        return Err(misaligned("offset"));
    }
    let mut read = 0usize;
    let mut off = offset as libc::off_t;
    let total = buf.len();
    while read < total {
        let p = unsafe { buf.as_mut_ptr().add(read) } as *mut c_void;
        let ret = unsafe { libc::pread(fd, p, total - read, off) }; // zdio-expect-site: o_direct_io
        if ret < 0 {
            let err = io::Error::last_os_error();
            if err.raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return Err(err);
        }
        if ret == 0 {
            break;
        }
        read += ret as usize;
        off += ret as libc::off_t;
    }
    Ok(read)
}

fn detect_alignment_from_path(path: &Path) -> io::Result<usize> {
    let dir = path.parent().unwrap_or(path);
    Ok(std::fs::metadata(dir)?.blksize() as usize)
}

pub fn write_aligned_file(path: &Path, data: &[u8]) -> io::Result<()> {
    let align = detect_alignment_from_path(path)?;
    let mut size = data.len();
    if size % align != 0 {
        size += align - size % align;
    }
    let mut buf = AlignedBuf::new(size, align)?;
    buf.as_mut_slice()[..data.len()].copy_from_slice(data);
    let f = open_with_o_direct(path)?;
    pwrite_direct(f.as_raw_fd(), &buf, 0)?; // zdio-expect-none: ZDIO002, ZDIO003
    Ok(())
}

// Reads the first 512-byte sector of a disk image the way a partition-table probe would.
pub fn read_sector_zero(path: &Path) -> io::Result<Vec<u8>> {
    let f = open_with_o_direct(path)?;
    let mut sector = AlignedBuf::new(512, 512)?;
    pread_direct(f.as_raw_fd(), &mut sector, 0)?; // zdio-expect: ZDIO001, ZDIO002, zdio-expect-none: ZDIO003
    Ok(sector.as_mut_slice().to_vec())
}

pub fn rewrite_record(path: &Path, index: u64) -> io::Result<()> {
    let f = open_with_o_direct(path)?;
    let mut record = AlignedBuf::new(128 * 1024, 4096)?;
    record.as_mut_slice().fill(0xab);
    pwrite_direct(f.as_raw_fd(), &record, index * 128 * 1024)?; // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
    let mut page = AlignedBuf::new(4096, 4096)?;
    page.as_mut_slice().fill(0);
    pwrite_direct(f.as_raw_fd(), &page, 8192)?; // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
    Ok(())
}

fn main() -> io::Result<()> {
    let path = Path::new("/tank/images/disk0.img");
    let head = read_sector_zero(path)?;
    rewrite_record(path, 3)?;
    write_aligned_file(Path::new("/tank/images/disk0.meta"), &head)?;
    Ok(())
}

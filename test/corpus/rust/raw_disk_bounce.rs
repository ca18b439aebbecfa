// Pattern: a raw disk image opened with custom_flags(libc::O_DIRECT) only when the disk config asks for it, guest requests served with libc::preadv on iovecs, and writes bounced through a buffer from std::alloc with a page Layout by a method taking a sector number, called with a label sector and a partition table (modelled on cloud-hypervisor's block crate, raw_sync.rs and its AlignedOperation bounce buffers, and vmm's device_manager, which opens the disk with custom_flags(libc::O_DIRECT) when direct=on).
// zdio-category: cross-function
use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::PathBuf;

const SECTOR_SHIFT: u8 = 9;
const SECTOR_SIZE: u64 = 1 << SECTOR_SHIFT;
const DIO_ALIGN: usize = 4096;

pub struct DiskConfig {
    pub path: PathBuf,
    pub readonly: bool,
    pub direct: bool,
}

struct BounceBuffer {
    ptr: *mut u8,
    len: usize,
}

impl BounceBuffer {
    fn copy_of(data: &[u8]) -> BounceBuffer {
        let layout = Layout::from_size_align(data.len(), DIO_ALIGN).expect("bounce layout");
        let ptr = unsafe { alloc_zeroed(layout) };
        assert!(!ptr.is_null(), "bounce allocation failed");
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), ptr, data.len()) };
        BounceBuffer { ptr, len: data.len() }
    }
}

impl Drop for BounceBuffer {
    fn drop(&mut self) {
        unsafe { dealloc(self.ptr, Layout::from_size_align(self.len, DIO_ALIGN).unwrap()) }
    }
}

pub struct RawDisk {
    file: File,
}

fn open_disk_image(cfg: &DiskConfig) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    options.write(!cfg.readonly);
    if cfg.direct {
        options.custom_flags(libc::O_DIRECT); // zdio-expect-site: o_direct_open
    }
    options.open(&cfg.path)
}

impl RawDisk {
    pub fn new(cfg: &DiskConfig) -> io::Result<RawDisk> {
        Ok(RawDisk { file: open_disk_image(cfg)? })
    }

    /// Serves a guest read: the iovecs point into guest memory, the offset comes from the request's sector.
    pub fn read_vectored(&self, iovecs: &[libc::iovec], offset: u64) -> io::Result<usize> {
        let ret = unsafe {
            libc::preadv( // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
                self.file.as_raw_fd(),
                iovecs.as_ptr(),
                iovecs.len() as libc::c_int,
                offset as libc::off_t,
            )
        };
        if ret < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(ret as usize)
    }

    pub fn write_sectors(&self, sector: u64, data: &[u8]) -> io::Result<()> {
        let bounce = BounceBuffer::copy_of(data);
        let offset = sector * SECTOR_SIZE;
        let ret = unsafe { libc::pwrite(self.file.as_raw_fd(), bounce.ptr as *const libc::c_void, bounce.len, offset as libc::off_t) }; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
        if ret < 0 {
            return Err(io::Error::last_os_error());
        }
        if ret as usize != bounce.len {
            return Err(io::Error::new(io::ErrorKind::WriteZero, "short sector write"));
        }
        Ok(())
    }
}

fn format_disk(disk: &RawDisk) -> io::Result<()> {
    let mut label = [0u8; 512];
    label[510] = 0x55;
    label[511] = 0xaa;
    disk.write_sectors(1, &label)?; // zdio-expect: ZDIO002, ZDIO003
    let table = vec![0u8; 16 * DIO_ALIGN];
    disk.write_sectors(8, &table)?; // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001
    let data = vec![0u8; 256 * 1024];
    disk.write_sectors(2048, &data) // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
}

fn main() -> io::Result<()> {
    let path = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("disk.raw"));
    let cfg = DiskConfig { path, readonly: false, direct: true };
    let disk = RawDisk::new(&cfg)?;
    format_disk(&disk)?;
    let first = BounceBuffer::copy_of(&[0u8; 4096]);
    let iov = [libc::iovec { iov_base: first.ptr as *mut libc::c_void, iov_len: first.len }];
    let n = disk.read_vectored(&iov, 0)?; // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
    println!("read {} bytes of sector 0", n);
    Ok(())
}

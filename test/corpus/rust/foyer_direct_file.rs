// Pattern: a disk-cache device on one O_DIRECT file divided into fixed-size regions, built from an options builder whose capacity and region size are rounded down to the 4 KiB page, with positioned writes and reads of page-aligned I/O buffers at a region's start plus an offset, checked against the page before the call (modelled on foyer's foyer-storage/src/device/direct_file.rs, DirectFileDeviceOptions, DirectFileDevice::open(), write()/read() and pwrite()/pread(), and its IoBuffer).
// zdio-category: cross-function
use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::fs::{File, OpenOptions};
use std::io;
use std::ops::{Deref, DerefMut};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

const PAGE: usize = 4096;

/// A heap buffer whose start and length are multiples of PAGE.
pub struct IoBuffer {
    ptr: *mut u8,
    len: usize,
}

impl IoBuffer {
    pub fn new(len: usize) -> Self {
        assert!(len % PAGE == 0 && len > 0);
        let layout = Layout::from_size_align(len, PAGE).expect("layout");
        let ptr = unsafe { alloc_zeroed(layout) };
        assert!(!ptr.is_null());
        Self { ptr, len }
    }
}

impl Deref for IoBuffer {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl DerefMut for IoBuffer {
    fn deref_mut(&mut self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }
}

impl Drop for IoBuffer {
    fn drop(&mut self) {
        unsafe { dealloc(self.ptr, Layout::from_size_align(self.len, PAGE).unwrap()) }
    }
}

fn assert_aligned(align: usize, value: usize) {
    assert!(value % align == 0, "{value} is not aligned to {align}");
}

pub struct DirectFileDeviceConfig {
    path: PathBuf,
    capacity: usize,
    region_size: usize,
}

pub struct DirectFileDeviceOptions {
    path: PathBuf,
    capacity: Option<usize>,
    region_size: Option<usize>,
}

impl DirectFileDeviceOptions {
    const DEFAULT_REGION_SIZE: usize = 64 * 1024 * 1024;

    pub fn new(path: impl AsRef<Path>) -> Self {
        Self { path: path.as_ref().into(), capacity: None, region_size: None }
    }

    pub fn with_capacity(mut self, capacity: usize) -> Self {
        self.capacity = Some(capacity);
        self
    }

    pub fn with_region_size(mut self, region_size: usize) -> Self {
        self.region_size = Some(region_size);
        self
    }
}

impl From<DirectFileDeviceOptions> for DirectFileDeviceConfig {
    fn from(options: DirectFileDeviceOptions) -> Self {
        let align_v = |value: usize, align: usize| value - value % align;
        let capacity = align_v(options.capacity.unwrap_or(1 << 30), PAGE);
        let region_size = options
            .region_size
            .unwrap_or(DirectFileDeviceOptions::DEFAULT_REGION_SIZE)
            .min(capacity);
        let region_size = align_v(region_size, PAGE);
        let capacity = align_v(capacity, region_size);
        DirectFileDeviceConfig { path: options.path, capacity, region_size }
    }
}

pub struct DirectFileDevice {
    file: File,
    capacity: usize,
    region_size: usize,
}

impl DirectFileDevice {
    pub fn open(config: DirectFileDeviceConfig) -> io::Result<Self> {
        let mut opts = OpenOptions::new();
        opts.create(true).write(true).read(true);
        opts.custom_flags(libc::O_DIRECT | libc::O_NOATIME); // zdio-expect-site: o_direct_open
        let file = opts.open(&config.path)?;
        if file.metadata()?.is_file() {
            file.set_len(config.capacity as u64)?;
        }
        Ok(Self { file, capacity: config.capacity, region_size: config.region_size })
    }

    fn check_io_range(&self, offset: u64, len: usize) -> io::Result<()> {
        assert_aligned(PAGE, offset as usize);
        assert_aligned(PAGE, len);
        if offset as usize + len > self.capacity {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "io range out of capacity"));
        }
        Ok(())
    }

    fn pwrite(&self, buf: &[u8], offset: u64) -> io::Result<()> {
        self.check_io_range(offset, buf.len())?;
        let written = self.file.write_at(buf, offset)?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        if written != buf.len() {
            return Err(io::Error::new(io::ErrorKind::WriteZero, "short write"));
        }
        Ok(())
    }

    fn pread(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        self.check_io_range(offset, buf.len())?;
        let read = self.file.read_at(buf, offset)?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        if read != buf.len() {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "short read"));
        }
        Ok(())
    }

    pub fn write(&self, buf: &[u8], region: u32, offset: u64) -> io::Result<()> {
        let poffset = offset + region as u64 * self.region_size as u64;
        self.pwrite(buf, poffset)
    }

    pub fn read(&self, buf: &mut [u8], region: u32, offset: u64) -> io::Result<()> {
        let poffset = offset + region as u64 * self.region_size as u64;
        self.pread(buf, poffset)
    }

    pub fn sync(&self) -> io::Result<()> {
        self.file.sync_all()
    }
}

fn main() -> io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "cache.bin".to_string());
    let config: DirectFileDeviceConfig = DirectFileDeviceOptions::new(&path)
        .with_capacity(4 * 1024 * 1024)
        .with_region_size(1024 * 1024)
        .into();
    let device = DirectFileDevice::open(config)?;

    let mut entry = IoBuffer::new(64 * 1024);
    entry[..64 * 1024 - 100].fill(b'x');
    device.write(&entry, 0, 4096)?; // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
    device.write(&entry, 1, 0)?; // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003

    let mut back = IoBuffer::new(64 * 1024);
    device.read(&mut back, 0, 4096)?; // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
    assert_eq!(&entry[..], &back[..]);

    let region = IoBuffer::new(1024 * 1024);
    device.write(&region, 2, 0)?; // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
    device.sync()
}

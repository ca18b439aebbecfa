// Pattern: a DMA file type whose open() ORs libc::O_DIRECT into the caller's flags through custom_flags, a DmaBuffer allocated with an aligned Layout, an unaligned read widened with align_down/align_up, and a footer written from a Vec at a sector offset (modelled on glommio's glommio/src/io/dma_file.rs and tokio-uring's DmaFile/DmaBuffer).
// zdio-category: cross-function
use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;

const DMA_ALIGN: usize = 4096;

pub(crate) fn align_up(v: u64, align: u64) -> u64 {
    (v + align - 1) & !(align - 1)
}

pub(crate) fn align_down(v: u64, align: u64) -> u64 {
    v & !(align - 1)
}

pub struct DmaBuffer {
    data: *mut u8,
    len: usize,
}

impl DmaBuffer {
    pub fn new(len: usize) -> DmaBuffer {
        let layout = Layout::from_size_align(len, DMA_ALIGN).unwrap();
        let data = unsafe { alloc_zeroed(layout) };
        DmaBuffer { data, len }
    }

    pub fn as_slice(&self) -> &[u8] {
        unsafe { std::slice::from_raw_parts(self.data, self.len) }
    }

    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.data, self.len) }
    }
}

impl Drop for DmaBuffer {
    fn drop(&mut self) {
        unsafe { dealloc(self.data, Layout::from_size_align(self.len, DMA_ALIGN).unwrap()) }
    }
}

pub struct DmaFile {
    file: File,
}

impl DmaFile {
    pub fn open(path: &Path, flags: i32) -> io::Result<DmaFile> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .custom_flags(flags | libc::O_DIRECT) // zdio-expect-site: o_direct_open
            .open(path)?;
        Ok(DmaFile { file })
    }

    /// Reads `len` bytes at `pos`, which need not be aligned, by reading the enclosing blocks.
    pub fn read_unaligned(&self, pos: u64, len: usize) -> io::Result<Vec<u8>> {
        let start = align_down(pos, DMA_ALIGN as u64);
        let end = align_up(pos + len as u64, DMA_ALIGN as u64);
        let mut buf = DmaBuffer::new((end - start) as usize);
        self.file.read_exact_at(buf.as_mut_slice(), start)?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        let skip = (pos - start) as usize;
        Ok(buf.as_slice()[skip..skip + len].to_vec())
    }

    pub fn write_block(&self, buf: &DmaBuffer, pos: u64) -> io::Result<()> {
        self.file.write_all_at(buf.as_slice(), pos) // zdio-expect-site: o_direct_io
    }

    /// The footer names the segment; it is written after the last data block.
    pub fn write_footer(&self, name: &str) -> io::Result<()> {
        let mut footer = Vec::with_capacity(64);
        footer.extend_from_slice(b"SEGF");
        footer.extend_from_slice(name.as_bytes());
        footer.resize(64, 0);
        self.file.write_all_at(&footer, 8 * 4096 + 512) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002, ZDIO003
    }
}

pub fn build_segment(path: &Path) -> io::Result<Vec<u8>> {
    let file = DmaFile::open(path, libc::O_CLOEXEC)?;
    let mut block = DmaBuffer::new(2 * DMA_ALIGN);
    block.as_mut_slice()[..4].copy_from_slice(b"SEG0");
    file.write_block(&block, 0)?; // zdio-expect: ZDIO004
    let record = DmaBuffer::new(128 * 1024);
    file.write_block(&record, 128 * 1024)?; // zdio-expect-none: ZDIO004
    file.write_footer("seg-0001")?;
    file.read_unaligned(100, 50)
}

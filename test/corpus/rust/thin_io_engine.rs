// Pattern: a metadata I/O engine that opens the device with custom_flags(if excl { O_EXCL | O_DIRECT } else { O_DIRECT }) and moves 4 KiB blocks at loc * BLOCK_SIZE with read_exact_at/write_all_at through a page-aligned Buffer made with std::alloc, a copier that carves one large aligned buffer into block-size chunks with chunks_mut and reads and writes them at the copy ops' locations, a superblock rewritten at block 0, and a quick magic check that reads the first sector into a Vec (modelled on jthornber/thin-provisioning-tools' src/io_engine/sync.rs SyncIoEngine::open_file(), src/io_engine/buffer.rs and src/copier/sync_copier.rs).
// zdio-category: cross-function
use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;

pub const BLOCK_SIZE: usize = 4096;
const SUPERBLOCK_LOCATION: u64 = 0;
const SUPERBLOCK_MAGIC: u64 = 27022010;
const COPY_BUFFER_SIZE: usize = 64 * 1024 * 1024;

/// O_DIRECT wants page-aligned memory, which a Vec does not promise.
pub struct Buffer {
    size: usize,
    align: usize,
    data: *mut u8,
}

impl Buffer {
    pub fn new(size: usize, align: usize) -> Buffer {
        let layout = Layout::from_size_align(size, align).expect("buffer layout");
        let data = unsafe { alloc_zeroed(layout) };
        assert!(!data.is_null(), "out of memory");
        Buffer { size, align, data }
    }

    #[allow(clippy::mut_from_ref)]
    pub fn get_data(&self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.data, self.size) }
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        unsafe { dealloc(self.data, Layout::from_size_align(self.size, self.align).unwrap()) }
    }
}

pub struct SyncIoEngine {
    nr_blocks: u64,
    file: File,
}

impl SyncIoEngine {
    fn open_file(path: &Path, writable: bool, excl: bool) -> io::Result<File> {
        OpenOptions::new()
            .read(true)
            .write(writable)
            .custom_flags(if excl { libc::O_EXCL | libc::O_DIRECT } else { libc::O_DIRECT }) // zdio-expect-site: o_direct_open
            .open(path)
    }

    pub fn new(path: &Path, writable: bool) -> io::Result<SyncIoEngine> {
        let file = SyncIoEngine::open_file(path, writable, true)?;
        let nr_blocks = file.metadata()?.len() / BLOCK_SIZE as u64;
        Ok(SyncIoEngine { nr_blocks, file })
    }

    pub fn read_block(&self, loc: u64) -> io::Result<Buffer> {
        if loc >= self.nr_blocks {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "block out of range"));
        }
        let b = Buffer::new(BLOCK_SIZE, BLOCK_SIZE);
        self.file.read_exact_at(b.get_data(), loc * BLOCK_SIZE as u64)?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        Ok(b)
    }

    pub fn write_block(&self, loc: u64, b: &Buffer) -> io::Result<()> {
        self.file.write_all_at(b.get_data(), loc * BLOCK_SIZE as u64) // zdio-expect-site: o_direct_io
    }
}

pub struct CopyOp {
    pub src: u64,
    pub dst: u64,
}

/// Copies data blocks of block_size bytes, a batch of ops per fill of the copy buffer.
pub fn copy_blocks(src: &SyncIoEngine, dst: &SyncIoEngine, ops: &[CopyOp], block_size: usize) -> io::Result<u64> {
    let buffer = Buffer::new(COPY_BUFFER_SIZE, BLOCK_SIZE);
    let data = buffer.get_data();
    let mut copied = 0;
    for batch in ops.chunks(COPY_BUFFER_SIZE / block_size) {
        for (chunk, op) in data.chunks_mut(block_size).zip(batch) {
            src.file.read_exact_at(chunk, op.src * block_size as u64)?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        }
        for (chunk, op) in data.chunks(block_size).zip(batch) {
            dst.file.write_all_at(chunk, op.dst * block_size as u64)?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
            copied += 1;
        }
    }
    Ok(copied)
}

/// A quick look at the magic number before the real work, so that a wrong device fails early.
fn check_magic(engine: &SyncIoEngine) -> io::Result<()> {
    let mut sector = vec![0u8; 512];
    engine.file.read_exact_at(&mut sector, SUPERBLOCK_LOCATION)?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002, zdio-expect-none: ZDIO003
    let magic = u64::from_le_bytes(sector[32..40].try_into().unwrap());
    if magic != SUPERBLOCK_MAGIC {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "bad superblock magic"));
    }
    Ok(())
}

fn parse_ops(text: &str) -> Vec<CopyOp> {
    text.lines()
        .filter_map(|l| l.split_once(' '))
        .filter_map(|(s, d)| Some(CopyOp { src: s.trim().parse().ok()?, dst: d.trim().parse().ok()? }))
        .collect()
}

fn main() -> io::Result<()> {
    let argv: Vec<String> = std::env::args().collect();
    if argv.len() != 4 {
        eprintln!("usage: thin_copy <src-dev> <dst-dev> <ops-file>");
        std::process::exit(2);
    }
    let src = SyncIoEngine::new(Path::new(&argv[1]), false)?;
    let dst = SyncIoEngine::new(Path::new(&argv[2]), true)?;
    check_magic(&src)?;

    let ops = parse_ops(&std::fs::read_to_string(&argv[3])?);
    let n = copy_blocks(&src, &dst, &ops, 128 * 1024)?;

    let sb = src.read_block(SUPERBLOCK_LOCATION)?;
    let flags_at = 44;
    sb.get_data()[flags_at] |= 1;
    dst.write_block(SUPERBLOCK_LOCATION, &sb)?; // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
    println!("copied {n} blocks");
    Ok(())
}

// Pattern: O_DIRECT spelled as the raw per-architecture number returned by a function and passed to custom_flags, a Vec<u8> carved from a Vec of #[repr(align(4096))] blocks, batches padded to the alignment and written with write_all_at, next to a metadata block in a plain vec! and a short marker (modelled on TiKV's components/file_system/src/direct.rs, DirectWriter and o_direct_flag()).
// zdio-category: cross-function
use std::fs::{File, OpenOptions};
use std::io;
use std::mem;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;

const WRITE_BATCH_SIZE: usize = 256 * 1024;
const ALIGN_SIZE: usize = 4096;

#[repr(C, align(4096))]
struct AlignTo4K([u8; ALIGN_SIZE]);

fn alloc_aligned(n_bytes: usize) -> Vec<u8> {
    let n_units = (n_bytes + ALIGN_SIZE - 1) / ALIGN_SIZE;
    let mut units: Vec<AlignTo4K> = Vec::with_capacity(n_units);
    let ptr = units.as_mut_ptr();
    let cap = units.capacity();
    mem::forget(units);
    unsafe { Vec::from_raw_parts(ptr as *mut u8, 0, cap * mem::size_of::<AlignTo4K>()) }
}

fn o_direct_flag() -> i32 {
    if std::env::consts::OS != "linux" {
        return 0;
    }
    if std::env::consts::ARCH == "aarch64" {
        0x10000
    } else {
        0x4000
    }
}

fn aligned_len(len: usize) -> usize {
    (len + ALIGN_SIZE - 1) & !(ALIGN_SIZE - 1)
}

pub fn open_direct_file(path: &Path, sync: bool) -> io::Result<File> {
    let mut flag = o_direct_flag();
    if sync {
        flag |= libc::O_DSYNC;
    }
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .custom_flags(flag) // zdio-expect-site: o_direct_open
        .open(path)
}

pub struct DirectWriter {
    aligned_buf: Vec<u8>,
}

impl DirectWriter {
    pub fn new() -> Self {
        DirectWriter { aligned_buf: alloc_aligned(WRITE_BATCH_SIZE) }
    }

    pub fn write_to_file(&mut self, data: &[u8], path: &Path) -> io::Result<()> {
        let file = open_direct_file(path, false)?;
        let mut cursor = 0usize;
        while cursor < data.len() {
            let end = usize::min(cursor + WRITE_BATCH_SIZE, data.len());
            self.aligned_buf.clear();
            self.aligned_buf.extend_from_slice(&data[cursor..end]);
            let padded = aligned_len(self.aligned_buf.len());
            self.aligned_buf.resize(padded, 0);
            file.write_all_at(&self.aligned_buf, cursor as u64)?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
            cursor = end;
        }
        file.set_len(data.len() as u64)?;
        file.sync_all()
    }
}

fn write_meta(path: &Path, epoch: u64) -> io::Result<()> {
    let file = open_direct_file(path, true)?;
    let mut meta = vec![0u8; ALIGN_SIZE];
    meta[..8].copy_from_slice(&epoch.to_le_bytes());
    file.write_all_at(&meta, 0)?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
    let mut marker = alloc_aligned(ALIGN_SIZE);
    marker.resize(512, 0xee);
    file.write_all_at(&marker, ALIGN_SIZE as u64)?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO002, zdio-expect-none: ZDIO001
    let mut block = alloc_aligned(ALIGN_SIZE);
    block.resize(ALIGN_SIZE, 0);
    file.write_all_at(&block, 2 * ALIGN_SIZE as u64)?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001
    file.sync_all()
}

fn main() -> io::Result<()> {
    let dir = std::env::temp_dir();
    let mut writer = DirectWriter::new();
    let payload = vec![7u8; 3 * WRITE_BATCH_SIZE];
    writer.write_to_file(&payload, &dir.join("snapshot.sst"))?;
    write_meta(&dir.join("snapshot.meta"), 42)
}

// Pattern: a disk-image burner that opens the target block device through a cfg-selected open_blockdev() (tokio OpenOptions with custom_flags(O_DIRECT), the flag imported bare from libc), then streams the image through an aligned block buffer with AsyncWriteExt::write_all and verifies by reading the blocks back; the block size is a field of the writer's options (modelled on ifd3f/caligula's src/herding/writer/xplat.rs open_blockdev() and its writer and verifier loops).
// zdio-category: cross-function
use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::path::Path;

use tokio::fs::File;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

#[cfg(target_os = "linux")]
pub async fn open_blockdev(path: impl AsRef<Path>) -> std::io::Result<File> {
    use libc::O_DIRECT;
    use tokio::fs::OpenOptions;

    let mut opts = OpenOptions::new();
    opts.write(true).read(true).custom_flags(O_DIRECT); // zdio-expect-site: o_direct_open
    opts.open(path).await
}

pub struct WriteOp {
    pub block_size: usize,
    pub checkpoint_blocks: usize,
}

struct BlockBuf {
    ptr: *mut u8,
    layout: Layout,
}

impl BlockBuf {
    fn new(size: usize) -> BlockBuf {
        let layout = Layout::from_size_align(size, 4096).expect("layout");
        let ptr = unsafe { alloc_zeroed(layout) };
        assert!(!ptr.is_null());
        BlockBuf { ptr, layout }
    }

    fn as_slice(&self) -> &[u8] {
        unsafe { std::slice::from_raw_parts(self.ptr, self.layout.size()) }
    }

    fn as_mut_slice(&mut self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.layout.size()) }
    }
}

impl Drop for BlockBuf {
    fn drop(&mut self) {
        unsafe { dealloc(self.ptr, self.layout) };
    }
}

impl WriteOp {
    pub async fn write(&self, src: &mut File, dest: &mut File) -> std::io::Result<u64> {
        let mut buf = BlockBuf::new(self.block_size);
        let mut written = 0u64;
        let mut blocks = 0usize;
        loop {
            let n = src.read(buf.as_mut_slice()).await?;
            if n == 0 {
                break;
            }
            dest.write_all(&buf.as_slice()[..n]).await?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
            written += n as u64;
            blocks += 1;
            if blocks % self.checkpoint_blocks == 0 {
                dest.flush().await?;
            }
        }
        dest.flush().await?;
        Ok(written)
    }

    pub async fn verify(&self, dest: &mut File, len: u64) -> std::io::Result<bool> {
        dest.seek(std::io::SeekFrom::Start(0)).await?;
        let mut buf = BlockBuf::new(self.block_size);
        let mut checked = 0u64;
        while checked < len {
            dest.read_exact(buf.as_mut_slice()).await?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO002, ZDIO003, zdio-expect-none: ZDIO001
            checked += self.block_size as u64;
        }
        Ok(true)
    }
}

pub async fn write_label(dest: &mut File) -> std::io::Result<()> {
    let label = b"CALIGULA-BURNED\n";
    dest.seek(std::io::SeekFrom::Start(0)).await?;
    dest.write_all(label).await // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002, zdio-expect-none: ZDIO003
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut src = File::open("image.iso").await?;
    let mut dest = open_blockdev("/dev/sdb").await?;
    let op = WriteOp { block_size: 512, checkpoint_blocks: 128 };
    let len = op.write(&mut src, &mut dest).await?;
    op.verify(&mut dest, len).await?;
    write_label(&mut dest).await?;
    Ok(())
}

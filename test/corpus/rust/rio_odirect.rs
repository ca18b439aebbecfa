// Pattern: an O_DIRECT example that writes from a #[repr(align(4096))] box, then reads a header into a Vec and the tail at a sub-page offset (modelled on the rio crate's README O_DIRECT example with its Aligned struct).
// zdio-category: within-function
use std::fs::OpenOptions;
use std::io::Result;
use std::os::unix::fs::{FileExt, OpenOptionsExt};

const SPAN: u64 = 1 << 20;

// A direct transfer needs its memory on a page boundary; the type guarantees it.
#[repr(align(4096))]
struct PageAligned([u8; SPAN as usize]);

fn main() -> Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "direct.bin".to_string());
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .custom_flags(libc::O_DIRECT) // zdio-expect-site: o_direct_open
        .open(&path)?;

    let pattern = Box::new(PageAligned([42; SPAN as usize]));
    let whole: &[u8] = &pattern.0;
    file.write_all_at(whole, 0)?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001

    let mut header = vec![0u8; 1024];
    file.read_exact_at(&mut header, 0)?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
    if header[0] != 42 {
        eprintln!("unexpected header byte {}", header[0]);
    }

    let mut tail = [0u8; 4096];
    file.read_exact_at(&mut tail, SPAN - 512)?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO003

    let mut back = Box::new(PageAligned([0; SPAN as usize]));
    file.read_exact_at(&mut back.0, 0)?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
    if pattern.0[..] != back.0[..] {
        eprintln!("read back differs from what was written");
    }
    Ok(())
}

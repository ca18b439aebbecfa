// Pattern: Read/Write/Seek on an O_DIRECT File at its implicit position: truncating open, two sequential writes, then seek(SeekFrom::Start) to a sector and a read (modelled on the rio crate's O_DIRECT example, streaming with Write and Seek instead of positioned I/O).
// zdio-category: implicit-position
use std::fs::OpenOptions;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;

const PAGE: usize = 4096;

#[repr(C, align(4096))]
struct Pages([u8; 8 * PAGE]);

pub fn rewrite(path: &str) -> io::Result<()> {
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .custom_flags(libc::O_DIRECT) // zdio-expect-site: o_direct_open
        .open(path)?;
    let mut pages = Box::new(Pages([7; 8 * PAGE]));
    f.write_all(&pages.0)?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
    f.write_all(&pages.0[..2 * PAGE])?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
    f.seek(SeekFrom::Start(512))?;
    f.read_exact(&mut pages.0[..PAGE])?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO003
    f.seek(SeekFrom::Start(0))?;
    f.read_exact(&mut pages.0)?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO003
    Ok(())
}

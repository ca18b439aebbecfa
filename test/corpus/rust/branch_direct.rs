// Pattern: the open flags and the request size picked together by one if/else on a direct option, once with a sector-sized request on the direct side and once with a page on the direct side and an odd size on the buffered side (modelled on the direct=/bs= switch of fio's filesetup.c, as a Rust tool would write it).
// zdio-category: branch-correlated
use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};

#[repr(C, align(4096))]
struct Page([u8; 4096]);

pub struct Opts {
    pub direct: bool,
    pub path: String,
}

pub fn read_sector(opts: &Opts) -> io::Result<usize> {
    let (extra, len) = if opts.direct { (libc::O_DIRECT, 512usize) } else { (0, 4096) };
    let file = OpenOptions::new().read(true).custom_flags(extra).open(&opts.path)?; // zdio-expect-site: o_direct_open
    let mut page = Page([0; 4096]);
    file.read_at(&mut page.0[..len], 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO002
}

pub fn read_index(opts: &Opts) -> io::Result<usize> {
    let (extra, len) = if opts.direct { (libc::O_DIRECT, 4096usize) } else { (0, 100) };
    let file = OpenOptions::new().read(true).custom_flags(extra).open(&opts.path)?; // zdio-expect-site: o_direct_open
    let mut page = Page([0; 4096]);
    file.read_at(&mut page.0[..len], 0) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO002
}

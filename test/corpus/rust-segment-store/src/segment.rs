// Pattern: segment files opened with flags from another module and read into a buffer type from another module (modelled on the rio crate's O_DIRECT example, split over a crate's modules).
// zdio-category: cross-file
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;

use crate::buf::AlignedPage;
use crate::consts::{OPEN_FLAGS, PAGE, SEGMENT_HEADER, SEGMENT_SIZE};

pub struct Segment {
    file: File,
    index: u64,
}

impl Segment {
    pub fn open(dir: &Path, index: u64) -> io::Result<Segment> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .custom_flags(OPEN_FLAGS) // zdio-expect-site: o_direct_open
            .open(dir.join(format!("seg-{index:08}")))?;
        file.set_len(SEGMENT_SIZE)?;
        Ok(Segment { file, index })
    }

    /// The header is only the first sector of the first page.
    pub fn read_header(&self) -> io::Result<Vec<u8>> {
        let mut page = AlignedPage::zeroed();
        self.file.read_exact_at(&mut page.0[..SEGMENT_HEADER], 0)?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO002, zdio-expect-none: ZDIO001
        Ok(page.0[..SEGMENT_HEADER].to_vec())
    }

    pub fn read_page(&self, n: u64) -> io::Result<Box<AlignedPage>> {
        let mut page = AlignedPage::zeroed();
        self.file.read_exact_at(&mut page.0, n * PAGE as u64)?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002
        Ok(page)
    }

    pub fn index(&self) -> u64 {
        self.index
    }
}

// Pattern: a copy driver that tries a whole-file FICLONE first, then copies in chunks of a configured block size with a copy_file_range wrapper taking one offset for both files, plus a short header copy and a resumed chunk computed from the config (modelled on xcp's libfs crate, linux.rs reflink() and copy_file_offset(), and its block-size option for parallel chunked copies).
// zdio-category: cross-function
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::io::AsRawFd;
use std::path::Path;

const FICLONE: libc::c_ulong = 0x40049409;
const HEADER_LEN: u64 = 512;

pub struct Config {
    pub block_size: u64,
    pub reflink: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config { block_size: 1024 * 1024, reflink: true }
    }
}

/// Returns Ok(false) when the file system cannot share extents, so that the caller copies instead.
pub fn reflink(infd: &File, outfd: &File) -> io::Result<bool> {
    let ret = unsafe { libc::ioctl(outfd.as_raw_fd(), FICLONE, infd.as_raw_fd()) }; // zdio-expect-site: ficlone
    if ret == 0 {
        return Ok(true);
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EOPNOTSUPP) | Some(libc::EXDEV) | Some(libc::EINVAL) | Some(libc::ENOTTY) => Ok(false),
        _ => Err(err),
    }
}

/// Copies `bytes` at `off` in the source to the same offset in the destination.
pub fn copy_file_offset(infd: &File, outfd: &File, bytes: u64, off: i64) -> io::Result<u64> {
    let mut off_in = off;
    let mut off_out = off;
    let r = unsafe {
        libc::copy_file_range(infd.as_raw_fd(), &mut off_in, outfd.as_raw_fd(), &mut off_out, bytes as usize, 0) // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO010, ZDIO011, ZDIO012
    };
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r as u64)
    }
}

fn copy_chunks(infd: &File, outfd: &File, cfg: &Config, total: u64) -> io::Result<u64> {
    let mut off = 0u64;
    while off < total {
        let len = cfg.block_size.min(total - off);
        let n = copy_file_offset(infd, outfd, len, off as i64)?; // zdio-expect-none: ZDIO010
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "source shrank during copy"));
        }
        off += n;
    }
    Ok(off)
}

fn copy_header(infd: &File, outfd: &File) -> io::Result<()> {
    let n = copy_file_offset(infd, outfd, HEADER_LEN, 0)?; // zdio-expect: ZDIO010
    if n != HEADER_LEN {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "short header"));
    }
    Ok(())
}

fn resume_chunk(infd: &File, outfd: &File, cfg: &Config, index: u64) -> io::Result<u64> {
    copy_file_offset(infd, outfd, cfg.block_size, (index * cfg.block_size) as i64) // zdio-expect-none: ZDIO010
}

pub fn copy_file(from: &Path, to: &Path, cfg: &Config) -> io::Result<u64> {
    let infd = File::open(from)?;
    let outfd = OpenOptions::new().write(true).create(true).truncate(true).open(to)?;
    let total = infd.metadata()?.len();
    if cfg.reflink && reflink(&infd, &outfd)? {
        return Ok(total);
    }
    outfd.set_len(total)?;
    copy_header(&infd, &outfd)?;
    if total > 4 * cfg.block_size {
        resume_chunk(&infd, &outfd, cfg, 3)?;
    }
    copy_chunks(&infd, &outfd, cfg, total)
}

fn main() -> io::Result<()> {
    let mut args = std::env::args(); let _program = args.next();
    let (from, to) = match (args.next(), args.next()) {
        (Some(f), Some(t)) => (f, t),
        _ => {
            eprintln!("usage: chunkcp <from> <to>");
            std::process::exit(2);
        }
    };
    let cfg = Config::default();
    let n = copy_file(Path::new(&from), Path::new(&to), &cfg)?;
    println!("{} bytes", n);
    Ok(())
}

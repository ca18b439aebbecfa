// Pattern: a duplicate-file remover that replaces a duplicate with a reflink of the original by first cloning the duplicate aside (which also proves that the file system can clone), then cloning the original over the duplicate with FICLONE built by nix's request_code_write! from its type, number and the size of a c_int, after comparing the files by buffered prefix reads (modelled on fclones' fclones/src/reflink.rs, linux_reflink() and reflink_overwrite(), and its prefix hashing).
// zdio-category: call-form
use std::fs::{self, File};
use std::io::{self, Read};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use nix::request_code_write;

const PREFIX_LEN: usize = 4096;

/// Clones `target` onto `link`, which must already exist with the same length.
fn reflink_overwrite(target: &Path, link: &Path) -> io::Result<()> {
    let src = File::open(target)?;
    // no truncate: both files already have the same size
    let dest = fs::OpenOptions::new().create(true).write(true).open(link)?;

    // FICLONE is _IOW(0x94, 9, int) in linux/fs.h
    const FICLONE_TYPE: u8 = 0x94;
    const FICLONE_NR: u8 = 9;
    const FICLONE_SIZE: usize = std::mem::size_of::<libc::c_int>();

    let ret = unsafe {
        libc::ioctl( // zdio-expect-site: ficlone
            dest.as_raw_fd(),
            request_code_write!(FICLONE_TYPE, FICLONE_NR, FICLONE_SIZE),
            src.as_raw_fd(),
        )
    };
    if ret == -1 {
        let err = io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EOPNOTSUPP) => {} // the file system cannot clone; nothing was changed
            Some(libc::EINVAL) => {}     // the source is larger than the destination
            _ => {}
        }
        return Err(err);
    }
    Ok(())
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".dedupe-tmp");
    path.with_file_name(name)
}

/// Replaces `link` by a reflink of `target`, keeping a clone of `link` until the swap has worked.
fn dedupe_by_reflink(target: &Path, link: &Path) -> io::Result<()> {
    let backup = temp_path(link);
    if let Err(e) = reflink_overwrite(link, &backup) {
        let _ = fs::remove_file(&backup);
        return Err(e);
    }
    match reflink_overwrite(target, link) {
        Err(e) => {
            if let Err(undo) = fs::rename(&backup, link) {
                eprintln!("failed to restore {} from {}: {}", link.display(), backup.display(), undo);
            }
            Err(e)
        }
        Ok(()) => {
            let _ = fs::remove_file(&backup);
            Ok(())
        }
    }
}

fn read_prefix(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; PREFIX_LEN];
    let mut filled = 0;
    while filled < PREFIX_LEN {
        let n = file.read(&mut buf[filled..])?; // zdio-expect-none: o_direct_io, ZDIO001
        if n == 0 {
            break;
        }
        filled += n;
    }
    buf.truncate(filled);
    Ok(buf)
}

fn same_length_and_prefix(a: &Path, b: &Path) -> io::Result<bool> {
    if fs::metadata(a)?.len() != fs::metadata(b)?.len() {
        return Ok(false);
    }
    Ok(read_prefix(a)? == read_prefix(b)?)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: {} ORIGINAL DUPLICATE...", args[0]);
        std::process::exit(2);
    }
    let original = Path::new(&args[1]);
    let mut failed = false;
    for dup in &args[2..] {
        let dup = Path::new(dup);
        match same_length_and_prefix(original, dup) {
            Ok(true) => {
                if let Err(e) = dedupe_by_reflink(original, dup) {
                    eprintln!("failed to deduplicate {} -> {}: {}", dup.display(), original.display(), e);
                    failed = true;
                }
            }
            Ok(false) => eprintln!("{} differs from {}, left alone", dup.display(), original.display()),
            Err(e) => {
                eprintln!("{}: {}", dup.display(), e);
                failed = true;
            }
        }
    }
    std::process::exit(if failed { 1 } else { 0 });
}

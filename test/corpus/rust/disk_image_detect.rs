// Pattern: disk file parameters with an is_direct option that makes the opener add O_DIRECT through custom_flags, an image-type probe that reads the magic into a small array at offset 0, an aligned probe next to it, and a zero-fill fallback that writes from a vec! chunk (modelled on crosvm's disk crate, DiskFileParams, open_disk_file() and detect_image_type(), and its raw image write_zeroes_at fallback).
// zdio-category: cross-function
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::PathBuf;

const QCOW_MAGIC: u32 = 0x5146_49fb;
const CDISK_MAGIC: &[u8; 8] = b"crosvm\0\0";
const ZERO_CHUNK: u64 = 64 * 1024;

#[derive(Clone, Debug)]
pub struct DiskFileParams {
    pub path: PathBuf,
    pub is_read_only: bool,
    pub is_sparse_file: bool,
    pub is_direct: bool,
}

#[derive(Debug, PartialEq)]
pub enum ImageType {
    Raw,
    Qcow2,
    CompositeDisk,
}

#[repr(C, align(4096))]
struct ProbeBlock([u8; 4096]);

fn open_disk_file(params: &DiskFileParams) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(!params.is_read_only);
    if params.is_direct {
        options.custom_flags(libc::O_DIRECT); // zdio-expect-site: o_direct_open
    }
    options.open(&params.path)
}

fn detect_image_type(file: &File) -> io::Result<ImageType> {
    let mut magic = [0u8; 8];
    file.read_exact_at(&mut magic, 0)?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002, zdio-expect-none: ZDIO003
    if &magic == CDISK_MAGIC {
        return Ok(ImageType::CompositeDisk);
    }
    if u32::from_be_bytes([magic[0], magic[1], magic[2], magic[3]]) == QCOW_MAGIC {
        return Ok(ImageType::Qcow2);
    }
    Ok(ImageType::Raw)
}

fn detect_image_type_aligned(file: &File) -> io::Result<ImageType> {
    let mut block = ProbeBlock([0u8; 4096]);
    file.read_exact_at(&mut block.0, 0)?; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
    let head = &block.0[..8];
    if head == CDISK_MAGIC {
        return Ok(ImageType::CompositeDisk);
    }
    if u32::from_be_bytes([head[0], head[1], head[2], head[3]]) == QCOW_MAGIC {
        return Ok(ImageType::Qcow2);
    }
    Ok(ImageType::Raw)
}

/// Writes zeroes over [offset, offset + length) when punching a hole is not possible.
fn write_zeroes_at(file: &File, offset: u64, length: u64) -> io::Result<()> {
    let zeroes = vec![0u8; ZERO_CHUNK as usize];
    let mut done = 0u64;
    while done < length {
        let chunk = ZERO_CHUNK.min(length - done);
        file.write_all_at(&zeroes[..chunk as usize], offset + done)?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, zdio-expect-none: ZDIO002, ZDIO003
        done += chunk;
    }
    Ok(())
}

fn main() -> io::Result<()> {
    let path = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("vm.img"));
    let params = DiskFileParams { path, is_read_only: false, is_sparse_file: true, is_direct: true };
    let file = open_disk_file(&params)?;
    let kind = if std::env::var_os("DISK_PROBE_ALIGNED").is_some() {
        detect_image_type_aligned(&file)?
    } else {
        detect_image_type(&file)?
    };
    println!("{:?}", kind);
    if kind == ImageType::Raw && !params.is_sparse_file {
        write_zeroes_at(&file, 0, 1 << 20)?;
    }
    Ok(())
}

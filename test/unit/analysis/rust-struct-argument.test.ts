// Rust: a struct the caller builds and passes to a function of the file that issues the I/O with its
// fields (a FICLONERANGE helper taking a `FileCloneRange` by value, a write helper taking an extent) is
// judged at each call with that call's struct: the finding lands on the caller's field initializer, or on
// the call when the function reads the field. The summaries alone join the structs of every call into one
// whose fields are unknown. (The buffer every call passes is the site's own: its ZDIO001 stays there.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const cloneProgram = (calls: string): string => `use std::fs::File;
use std::io;
use std::os::unix::io::AsRawFd;

#[repr(C)]
struct FileCloneRange {
    src_fd: i64,
    src_offset: u64,
    src_length: u64,
    dest_offset: u64,
}

fn clone_range(dest: &File, range: FileCloneRange) -> io::Result<()> {
    let ret = unsafe { libc::ioctl(dest.as_raw_fd(), libc::FICLONERANGE, &range) }; // => ficlone libc::ioctl
    if ret == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

${calls}
`;

test('rust: a FICLONERANGE struct passed by value to a helper is judged at each call, on its first bad field', async () => {
  const text = cloneProgram(`pub fn share(src: &File, dest: &File) -> io::Result<()> {
    let header = FileCloneRange {
        src_fd: src.as_raw_fd() as i64,
        src_offset: 4096, // => | ZDIO020
        src_length: 0,
        dest_offset: 4096,
    };
    clone_range(dest, header)?;
    let data = FileCloneRange {
        src_fd: src.as_raw_fd() as i64,
        src_offset: 131072,
        src_length: 4 * 131072,
        dest_offset: 131072,
    };
    clone_range(dest, data)
}`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: a struct whose fields the caller does not know gives the helper no finding', async () => {
  const text = cloneProgram(`pub fn share_at(src: &File, dest: &File, at: u64, len: u64) -> io::Result<()> {
    let range = FileCloneRange { src_fd: src.as_raw_fd() as i64, src_offset: at, src_length: len, dest_offset: at };
    clone_range(dest, range)
}`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: an extent struct gives a write helper the offset of each call', async () => {
  const text = `use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};

struct Extent {
    offset: u64,
    len: usize,
}

fn write_extent(file: &File, buf: &[u8], ext: Extent) -> io::Result<()> {
    file.write_all_at(&buf[..ext.len], ext.offset) // => o_direct_io file.write_all_at | ZDIO001
}

fn main() -> io::Result<()> {
    let file = OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open("dev")?;
    let block = vec![0u8; 1 << 20];
    write_extent(&file, &block, Extent { offset: 512, len: 131072 })?; // => | ZDIO003
    write_extent(&file, &block, Extent { offset: 131072, len: 131072 })?; // =>
    Ok(())
}
`;
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

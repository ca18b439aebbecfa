// Rust: a request struct that a builder function of the file fills from its parameters (`fn request(disk,
// buf, len, offset) -> Cb { Cb { offset, … } }`) and that a submit helper hands on field by field to the
// helper doing the I/O is judged at each call of the builder, even when the function making those calls
// (a `main` that builds and submits the requests) names nothing O_DIRECT itself. A submit helper that
// diverts some requests first (`if misaligned(cb) { return bounce(cb); }`) passes the rest on, which no
// builder call can be matched with, so nothing is judged through it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const program = (submit: string): string => `use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::{AsRawFd, RawFd};

pub struct Disk {
    file: File,
}

pub struct Request {
    pub fd: RawFd,
    pub buf: u64,
    pub offset: usize,
    pub nbytes: usize,
}

fn raw_write(fd: RawFd, buf: u64, size: usize, offset: usize) -> i64 {
    unsafe { libc::pwrite(fd, buf as *const libc::c_void, size, offset as libc::off_t) as i64 } // => o_direct_io libc::pwrite
}

${submit}

fn request(disk: &Disk, buf: *mut libc::c_void, len: usize, offset: usize) -> Request {
    Request { fd: disk.file.as_raw_fd(), buf: buf as u64, offset, nbytes: len }
}

fn open_disk(path: &str) -> io::Result<Disk> {
    let file = OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open(path)?; // => o_direct_open custom_flags
    Ok(Disk { file })
}

fn main() -> io::Result<()> {
    let disk = open_disk("disk.img")?;
    let guest = unsafe { libc::memalign(4096, 1 << 20) };
    let sector = request(&disk, guest, 4096, 512); // => | ZDIO003
    submit(&sector);
    let cluster = request(&disk, guest, 131072, 131072); // =>
    submit(&cluster);
    Ok(())
}
`;

test('rust: a request built from the parameters of a builder is judged at each builder call, through a submit helper, from a main with no O_DIRECT text', async () => {
  const text = program(`fn submit(req: &Request) -> i64 {
    raw_write(req.fd, req.buf, req.nbytes, req.offset)
}`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  assert.ok(findingKeys(r).some((k) => k.includes('ZDIO003')), 'the misaligned offset of the sector request is reported');
});

test('rust: a submit helper that diverts requests by a test of the request first judges no builder call through it', async () => {
  const text = program(`fn misaligned(req: &Request) -> bool {
    req.offset % 4096 != 0
}

fn bounce(req: &Request) -> i64 {
    req.nbytes as i64
}

fn submit(req: &Request) -> i64 {
    if misaligned(req) {
        return bounce(req);
    }
    raw_write(req.fd, req.buf, req.nbytes, req.offset)
}`).replace(' // => | ZDIO003', ' // =>');
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), []);
  assert.deepEqual(expectationsOf(text).findings, []);
});

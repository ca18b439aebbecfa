// Rust: a constructor of this file whose body ends in its own struct literal (`Bounce { ptr, len: data.len() }`)
// gives each call the fields it builds from that call's arguments, so an I/O of `bounce.len` bytes in a
// helper is judged at each call of the helper with the size of the buffer that call passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const disk = (copyBody: string, calls: string): string => `use std::alloc::{alloc_zeroed, Layout};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;

struct Bounce {
    ptr: *mut u8,
    len: usize,
}

impl Bounce {
    fn copy_of(data: &[u8]) -> Bounce {
${copyBody}
    }
}

pub struct Disk {
    file: File,
}

impl Disk {
    pub fn open(path: &str) -> std::io::Result<Disk> {
        let file = OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open(path)?; // => o_direct_open custom_flags
        Ok(Disk { file })
    }

    pub fn put(&self, data: &[u8]) -> isize {
        let bounce = Bounce::copy_of(data);
        unsafe { libc::pwrite(self.file.as_raw_fd(), bounce.ptr as *const libc::c_void, bounce.len, 0) } // => o_direct_io libc::pwrite
    }
}

fn format(disk: &Disk) {
${calls}
}

fn main() {
    let disk = Disk::open("disk.raw").unwrap();
    format(&disk);
}
`;

const copyOfData = `        let ptr = unsafe { alloc_zeroed(Layout::from_size_align(data.len(), 4096).unwrap()) };
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), ptr, data.len()) };
        Bounce { ptr, len: data.len() }`;

test('rust: a length field built from the argument\'s len() is judged at each call with that call\'s buffer', async () => {
  const text = disk(copyOfData, `    let label = [0u8; 512];
    disk.put(&label); // => | ZDIO002
    let block = vec![0u8; 131072];
    disk.put(&block); // =>`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  assert.match(r.findings.find((f) => f.ruleId === 'ZDIO002')!.message, /512/);
});

test('rust: a length field from a parameter the constructor rebinds first is not the argument\'s size', async () => {
  const text = disk(`        let data = &data[..4096];
${copyOfData}`, `    let label = [0u8; 512];
    disk.put(&label); // =>
    let block = vec![0u8; 131072];
    disk.put(&block); // =>`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: a constructor that may return early gives its calls no per-call fields', async () => {
  const text = disk(`        if data.is_empty() {
            return Bounce { ptr: std::ptr::null_mut(), len: 4096 };
        }
${copyOfData}`, `    let label = [0u8; 512];
    disk.put(&label); // =>`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

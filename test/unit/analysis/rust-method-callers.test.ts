// Rust: a function that only calls a method of a disk type (`disk.put(512, &label)`) names nothing
// O_DIRECT, yet its arguments decide the method's I/O. Such callers are analysed for the call, and a
// number a parameter carries to the I/O is judged on the caller's argument, where it is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const disk = (calls: string): string => `use std::fs::{File, OpenOptions};
use std::os::unix::fs::{FileExt, OpenOptionsExt};

pub struct RawDisk {
    file: File,
}

impl RawDisk {
    pub fn open(path: &str) -> std::io::Result<RawDisk> {
        let file = OpenOptions::new().read(true).write(true).custom_flags(libc::O_DIRECT).open(path)?; // => o_direct_open custom_flags
        Ok(RawDisk { file })
    }

    pub fn put(&self, offset: u64, data: &Block) -> std::io::Result<()> {
        self.file.write_all_at(&data.0, offset) // => o_direct_io self.file.write_all_at
    }
}

#[repr(C, align(4096))]
pub struct Block([u8; 131072]);

fn format(disk: &RawDisk) -> std::io::Result<()> {
    let label = Block([0u8; 131072]);
${calls}
    Ok(())
}

fn main() {
    let disk = RawDisk::open("disk.raw").unwrap();
    format(&disk).unwrap();
}
`;

test('rust: a method called only from a function that names nothing O_DIRECT gets its offset judged on the call', async () => {
  const text = disk(`    disk.put(512, &label)?; // => | ZDIO003`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  assert.match(r.findings[0]!.message, /offset 512/);
});

test('rust: of two calls from that function, only the one with a misaligned offset is a finding, on its own line', async () => {
  const text = disk(`    disk.put(131072 * 2, &label)?; // =>
    disk.put(1000, &label)?; // => | ZDIO003`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

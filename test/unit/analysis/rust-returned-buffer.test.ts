// Rust: a function of the file whose return value a walked function reads is walked too, whatever its
// own text holds (an allocation helper names no O_DIRECT). The buffer it returns, and its length, reach
// the caller's I/O; a helper whose value is not known leaves the I/O without a finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const program = (helpers: string, body: string): string => `use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};

const BLOCK: usize = 4096;

${helpers}

fn write_all(path: &str) -> io::Result<()> {
    let file = OpenOptions::new().write(true).create(true).custom_flags(libc::O_DIRECT).open(path)?;
${body}
    file.sync_all()
}
`;

test('rust: a heap buffer returned by a helper without O_DIRECT in its text is judged at the write', async () => {
  const text = program(`fn header_block() -> Vec<u8> {
    let mut v = vec![0u8; BLOCK];
    v[..4].copy_from_slice(b"HDR0");
    v
}`, `    let hdr = header_block();
    file.write_all_at(&hdr, 0)?; // => o_direct_io file.write_all_at | ZDIO001`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: the length a helper gives its returned buffer is the length of the write', async () => {
  const text = program(`fn page_aligned(n: usize) -> Vec<u8> {
    let layout = std::alloc::Layout::from_size_align(n, BLOCK).unwrap();
    let p = unsafe { std::alloc::alloc_zeroed(layout) };
    unsafe { Vec::from_raw_parts(p, 0, n) }
}`, `    let mut tag = page_aligned(BLOCK);
    tag.resize(512, 0);
    file.write_all_at(&tag, 0)?; // => o_direct_io file.write_all_at | ZDIO002
    let mut page = page_aligned(BLOCK);
    page.resize(BLOCK, 0);
    file.write_all_at(&page, 131072)?; // => o_direct_io file.write_all_at | ZDIO004
    let mut record = page_aligned(131072);
    record.resize(131072, 0);
    file.write_all_at(&record, 0)?; // => o_direct_io file.write_all_at`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: a helper whose returned buffer is not known gives the write no finding', async () => {
  const text = program(`fn load_block(pool: &mut Vec<Vec<u8>>) -> Vec<u8> {
    pool.pop().unwrap()
}

fn foreign_block() -> Vec<u8> {
    external_crate::block()
}`, `    let mut pool = Vec::new();
    let a = load_block(&mut pool);
    file.write_all_at(&a, 0)?; // => o_direct_io file.write_all_at
    let b = foreign_block();
    file.write_all_at(&b, 0)?; // => o_direct_io file.write_all_at`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

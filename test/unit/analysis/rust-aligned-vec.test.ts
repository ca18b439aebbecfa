// Rust: a `Vec` of a #[repr(align(N))] element type allocates its block with the element's alignment,
// so its pointer (and a `Vec<u8>` rebuilt from it with `Vec::from_raw_parts`) is N-aligned. The element
// type comes from the `let` annotation or the turbofish; a `Vec` of plain integers stays unaligned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const program = (body: string): string => `use std::fs::OpenOptions;
use std::io;
use std::mem;
use std::os::unix::fs::{FileExt, OpenOptionsExt};

const BLOCK: usize = 4096;

#[repr(C, align(4096))]
struct Page([u8; BLOCK]);

fn write_blocks(path: &str) -> io::Result<()> {
    let file = OpenOptions::new().write(true).create(true).custom_flags(libc::O_DIRECT).open(path)?;
${body}
    file.sync_all()
}
`;

test('rust: a Vec<u8> rebuilt from the pointer of a Vec of #[repr(align)] pages is page-aligned', async () => {
  const text = program(`    let mut pages: Vec<Page> = Vec::with_capacity(4);
    let ptr = pages.as_mut_ptr();
    let cap = pages.capacity();
    mem::forget(pages);
    let mut bytes = unsafe { Vec::from_raw_parts(ptr as *mut u8, 0, cap * mem::size_of::<Page>()) };
    bytes.resize(512, 0);
    file.write_all_at(&bytes, 0)?; // => o_direct_io file.write_all_at | ZDIO002
    bytes.resize(BLOCK, 0);
    file.write_all_at(&bytes, 8192)?; // => o_direct_io file.write_all_at | ZDIO004`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: the turbofish names the element type as the annotation does', async () => {
  const text = program(`    let mut pages = Vec::<Page>::with_capacity(32);
    let mut bytes = unsafe { Vec::from_raw_parts(pages.as_mut_ptr() as *mut u8, 0, 32 * BLOCK) };
    mem::forget(pages);
    bytes.resize(131072, 0);
    file.write_all_at(&bytes, 0)?; // => o_direct_io file.write_all_at`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: a Vec of an element type without #[repr(align)] is not page-aligned', async () => {
  const text = program(`    let mut words: Vec<u64> = Vec::with_capacity(512);
    let mut bytes = unsafe { Vec::from_raw_parts(words.as_mut_ptr() as *mut u8, 0, 4096) };
    mem::forget(words);
    bytes.resize(BLOCK, 0);
    file.write_all_at(&bytes, 0)?; // => o_direct_io file.write_all_at | ZDIO001
    let mut plain = Vec::<u32>::new();
    let mut bytes32 = unsafe { Vec::from_raw_parts(plain.as_mut_ptr() as *mut u8, 0, 0) };
    bytes32.resize(BLOCK, 0);
    file.write_all_at(&bytes32, 0)?; // => o_direct_io file.write_all_at | ZDIO001`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

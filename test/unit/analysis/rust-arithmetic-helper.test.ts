// Rust: a function of the file whose body is one arithmetic expression of its parameters (a bounce
// buffer's round_down/round_up) gives each call with numbers that call's value; the return summary alone
// joins the values of every call into an unknown. A helper whose body does more than arithmetic is not
// evaluated this way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const program = (helpers: string, body: string): string => `use std::fs::OpenOptions;
use std::os::unix::fs::{FileExt, OpenOptionsExt};

${helpers}

fn main() {
    let f = OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open("disk.img").unwrap(); // => o_direct_open custom_flags
    let block = std::alloc::Layout::from_size_align(1 << 20, 4096).unwrap();
    let buf = unsafe { std::slice::from_raw_parts(std::alloc::alloc(block), 1 << 20) };
${body}
}
`;

const rounding = `fn round_down(x: u64, align: u64) -> u64 {
    x & !(align - 1)
}

fn round_up(x: u64, align: u64) -> u64 {
    (x + align - 1) & !(align - 1)
}`;

test('rust: round_down/round_up of the file give each call its own value (a bounce write widened to 512 bytes)', async () => {
  const text = program(rounding, `    let lo = round_down(10, 512);
    let hi = round_up(110, 512);
    f.write_all_at(&buf[..(hi - lo) as usize], lo).unwrap(); // => o_direct_io f.write_all_at | ZDIO002
    let start = round_down(8192 + 100, 4096);
    let end = round_up(8192 + 100 + 131072, 131072);
    f.write_all_at(&buf[..(end - start) as usize], start).unwrap(); // => o_direct_io f.write_all_at | ZDIO004`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: a helper whose body is more than arithmetic of its parameters is not evaluated per call', async () => {
  const text = program(`fn page_span(x: u64) -> u64 {
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) as u64 };
    (x + page - 1) & !(page - 1)
}

fn widen(x: u64, align: u64) -> u64 {
    if x == 0 { align } else { x + 1 }
}`, `    let n = page_span(100);
    f.write_all_at(&buf[..n as usize], 0).unwrap(); // => o_direct_io f.write_all_at
    let m = widen(100, 4096);
    f.write_all_at(&buf[..m as usize], 0).unwrap(); // => o_direct_io f.write_all_at`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(expectationsOf(text).findings, []);
  assert.deepEqual(findingKeys(r), []);
});

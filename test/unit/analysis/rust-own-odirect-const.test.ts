// Rust: a crate's own `const O_DIRECT: i32 = 0x4000;` (a binding that does not take the flag from libc)
// stands for the flag when its number is O_DIRECT on some Linux architecture. The number alone under
// another name, or another number under that name, is not the flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

const program = (constant: string, flag: string, expectSites: boolean): string => `use std::fs::OpenOptions;
use std::os::unix::fs::{FileExt, OpenOptionsExt};

${constant}

fn main() -> std::io::Result<()> {
    let file = OpenOptions::new().write(true).create(true).custom_flags(${flag} | libc::O_DSYNC).open("wal")?; // => ${expectSites ? 'o_direct_open custom_flags' : ''}
    file.write_all_at(&[0u8; 512], 0)?; // => ${expectSites ? 'o_direct_io file.write_all_at | ZDIO001 ZDIO002' : ''}
    Ok(())
}
`;

async function check(text: string): Promise<void> {
  assert.deepEqual(siteKeys(await extractFacts('rust', text)), expectationsOf(text).sites);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
}

test('rust: a const named O_DIRECT with the x86 or the arm64 number is the flag', async () => {
  await check(program('const O_DIRECT: i32 = 0x4000; // Linux', 'O_DIRECT', true));
  await check(program('pub const O_DIRECT: libc::c_int = 0o200000;', 'O_DIRECT', true));
});

test('rust: one const O_DIRECT per #[cfg(target_arch)] with each architecture\'s number is the flag', async () => {
  await check(program(`#[cfg(target_arch = "aarch64")]
const O_DIRECT: i32 = 0o200000;
#[cfg(not(target_arch = "aarch64"))]
const O_DIRECT: i32 = 0o40000;`, 'O_DIRECT', true));
});

test('rust: the number under another name, or another number named O_DIRECT, is not the flag', async () => {
  await check(program('const OPEN_EXTRA: i32 = 0x4000;', 'OPEN_EXTRA', false));
  await check(program('const O_DIRECT: i32 = 0;', 'O_DIRECT', false));
  await check(program('const O_DIRECT: i32 = 0x40;', 'O_DIRECT', false));
});

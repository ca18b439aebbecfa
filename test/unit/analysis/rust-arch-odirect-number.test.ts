// Rust: O_DIRECT spelled as the number each architecture gives it, returned by a function of the crate
// (`fn o_direct_flag() -> i32 { … 0x10000 … 0x4000 }`, or one such function per #[cfg(target_arch)]) and
// passed to custom_flags. One bare number is no O_DIRECT: 0x4000 is O_DIRECTORY on arm64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

const program = (flagFunctions: string, expectSites: boolean): string => `use std::fs::OpenOptions;
use std::os::unix::fs::{FileExt, OpenOptionsExt};

${flagFunctions}

fn main() -> std::io::Result<()> {
    let mut flag = o_direct_flag();
    flag |= libc::O_DSYNC;
    let file = OpenOptions::new().write(true).create(true).custom_flags(flag).open("wal")?; // => ${expectSites ? 'o_direct_open custom_flags' : ''}
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

test('rust: a function returning O_DIRECT per architecture (or 0 off Linux) makes the open an O_DIRECT one', async () => {
  await check(program(`fn o_direct_flag() -> i32 {
    if std::env::consts::OS != "linux" {
        return 0;
    }
    if std::env::consts::ARCH == "aarch64" { 0x10000 } else { 0x4000 }
}`, true));
});

test('rust: the same numbers in one function per #[cfg(target_arch)] count alike', async () => {
  await check(program(`#[cfg(target_arch = "aarch64")]
fn o_direct_flag() -> libc::c_int { 0o200000 }
#[cfg(not(target_arch = "aarch64"))]
fn o_direct_flag() -> libc::c_int { 0o40000 }`, true));
});

test('rust: one bare number, or a function that also returns other numbers, is not taken for O_DIRECT', async () => {
  await check(program('fn o_direct_flag() -> i32 { 0x4000 }', false));
  await check(program('fn o_direct_flag() -> i32 { if std::env::consts::ARCH == "aarch64" { 0x10000 } else { 0x4000 | 0x40 } }', false));
});

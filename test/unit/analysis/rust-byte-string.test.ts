// Rust: a byte string literal (`b"end-of-log\n"`, `br"…"`) is a buffer of as many bytes as it spells, with
// escapes counted as the bytes they stand for, and no page alignment; a text string is no buffer we know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

const program = (lines: string): string => `use std::fs::OpenOptions;
use std::os::unix::fs::{FileExt, OpenOptionsExt};

fn main() -> std::io::Result<()> {
    let file = OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open("log")?; // => o_direct_open custom_flags
${lines}
    Ok(())
}
`;

async function check(text: string): Promise<void> {
  assert.deepEqual(siteKeys(await extractFacts('rust', text)), expectationsOf(text).sites);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
}

test('rust: a byte string written to an O_DIRECT file is a short, unaligned buffer', async () => {
  await check(program(`    file.write_all_at(b"end-of-log\\n", 0)?; // => o_direct_io file.write_all_at | ZDIO001 ZDIO002
    file.write_all_at(br"C:\\raw", 4096)?; // => o_direct_io file.write_all_at | ZDIO001 ZDIO002`));
});

test('rust: the length of a byte string counts each escape as one byte, and drops a line continuation', async () => {
  const text = program(`    let marker = b"\\x00\\xffAB\\t\\"\\
        ";
    file.write_all_at(marker, 0)?; // => o_direct_io file.write_all_at | ZDIO001 ZDIO002`);
  const facts = await extractFacts('rust', text);
  const write = facts.find((f) => f.site.callee === 'file.write_all_at');
  assert.deepEqual(write?.length, { known: true, value: 6, text: 'marker.len()' });
  await check(text);
});

test('rust: a text string, plain or raw, is no known buffer', async () => {
  await check(program(`    file.write_all_at("end".as_bytes(), 0)?; // => o_direct_io file.write_all_at
    file.write_all_at(r"raw".as_bytes(), 0)?; // => o_direct_io file.write_all_at`));
});

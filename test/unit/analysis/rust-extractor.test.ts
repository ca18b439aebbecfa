import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { rustExtractor } from '../../../src/core/analysis/languages/rust';
import { languageForFile } from '../../../src/core/analysis/languages/index';
import { DEFAULT_SETTINGS, checkFixture, extractFacts, factsAt, readFixture, siteKeys, valueOf } from './rust-go-python-helpers';
import { inFull } from '../../support/told';

test('rust: O_DIRECT fixture gives exactly the annotated sites and ZDIO001-004 findings', async () => {
  const { text, facts, result } = await checkFixture('rust', 'rust/odirect.rs');
  const vec = factsAt(text, facts, 'f.read_at(&mut buf, 0)?;');
  assert.equal(vec.buffer?.state, 'unaligned');
  assert.match(vec.buffer!.origin, /vec!\[0u8; ODD_LEN\]/);
  assert.equal(valueOf(vec.length), 100_000);
  assert.equal(vec.constants.length?.name, 'ODD_LEN', 'the length comes from a constant a fix can round up');
  assert.equal(vec.constants.length?.valueText, '100_000');
  assert.equal(vec.direction, 'read');
  assert.equal(vec.fdODirect, true);

  const aligned = factsAt(text, facts, 'file.read_at(buf, 2 * BASE)');
  assert.deepEqual([aligned.buffer?.state, aligned.buffer?.alignment], ['aligned', 4096]);
  assert.equal(valueOf(aligned.length), 131072);
  assert.equal(valueOf(aligned.offset), 262144);

  const shifted = factsAt(text, facts, 'buf[512..]');
  assert.equal(shifted.buffer?.offset, 512);
  assert.equal(valueOf(shifted.length), 131072 - 512);

  const block = factsAt(text, facts, 'block.0');
  assert.deepEqual([block.buffer?.state, block.buffer?.alignment, valueOf(block.length)], ['aligned', 4096, 4096]);

  const mmap = factsAt(text, facts, 'libc::pread(fd, p, CHUNK, 0)');
  assert.equal(mmap.buffer?.alignedToPage, true);

  const fieldRead = factsAt(text, facts, 'self.file.read_at');
  assert.equal(fieldRead.fdODirect, true, 'the O_DIRECT File stored by Store::new is known in another method');
  assert.equal(valueOf(fieldRead.offset), 'unknown', 'a parameter offset stays unknown');

  const odd = result.findings.find((f) => f.ruleId === 'ZDIO002' && f.message.includes('100000'));
  assert.ok(odd, 'ZDIO002 names the derived length');
  // The name buf appears elsewhere in the file (the check goes by name, erring on the side of no fix): growing
  // vec![0u8; ODD_LEN] could change that code, so no length fix.
  assert.ok(!odd.fixes.some((fx) => fx.title.includes('ODD_LEN')));
  assert.match(odd.manualFix!, /buf is used elsewhere too/);
  const bound = result.findings.find((f) => f.ruleId === 'ZDIO002' && f.message.includes('buf[..1000]'));
  assert.deepEqual(bound?.fixes[0]?.edits.map((e) => e.newText), ['4096'], 'the slice of a 128 KiB aligned allocation is rounded at its bound');
  const rs = result.findings.find((f) => f.ruleId === 'ZDIO004');
  assert.match(rs!.message, /8192/);
});

test('rust: copy_file_range fixture, including the openzfs#16958 reproducer', async () => {
  const { text, facts, result } = await checkFixture('rust', 'rust/copy_file_range.rs');
  const repro = factsAt(text, facts, '&mut off_out, 196608, 0)');
  assert.deepEqual([valueOf(repro.srcOffset), valueOf(repro.dstOffset), valueOf(repro.length)], [0, 262144, 196608]);
  assert.equal(repro.resultHandled, true, '`if n < 0` checks the result');
  const z10 = result.findings.find((f) => f.ruleId === 'ZDIO010' && f.range.start.line === repro.site.range.start.line);
  assert.match(z10!.message, /len 196608 is not a multiple of recordsize 131072/);

  const nulls = factsAt(text, facts, '    unsafe { libc::copy_file_range(a, std::ptr::null_mut()');
  assert.deepEqual([valueOf(nulls.srcOffset), valueOf(nulls.dstOffset)], ['unknown', 'unknown'], 'NULL offsets are not derived');
  assert.equal(nulls.resultHandled, false);

  const loop = factsAt(text, facts, 'remaining, 0)');
  assert.equal(loop.resultHandled, true, 'a result used inside the copy loop is handled');
  assert.equal(valueOf(loop.length), 'unknown');

  const odirect = factsAt(text, facts, 'nix::fcntl::copy_file_range(&src');
  assert.equal(odirect.srcFdODirect, true);
  assert.equal(odirect.dstFdODirect, undefined);
});

test('rust: FICLONE / FICLONERANGE fixture', async () => {
  const { text, facts, result } = await checkFixture('rust', 'rust/ficlone.rs');
  const repro = factsAt(text, facts, 'libc::ioctl(dst, libc::FICLONERANGE, &range)');
  assert.equal(repro.ficloneVariant, 'FICLONERANGE');
  assert.deepEqual([valueOf(repro.srcOffset), valueOf(repro.dstOffset), valueOf(repro.length)], [0, 262144, 196608]);
  const whole = factsAt(text, facts, 'MY_FICLONE, src');
  assert.equal(whole.ficloneVariant, 'FICLONE');
  const toEof = factsAt(text, facts, 'ficlonerange_wrapper(dst, &to_eof)');
  assert.equal(valueOf(toEof.length), 0);
  assert.ok(result.findings.every((f) => f.ruleId === 'ZDIO020'));
  assert.match(result.findings[0]!.message, /src_length 196608/);
});

test('rust: comments, strings, definitions and lookalikes are not sites', async () => {
  const text = readFixture('rust/not_sites.rs');
  assert.deepEqual(siteKeys(await extractFacts('rust', text)), []);
  const result = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.deepEqual(result.findings, []);
});

test('rust: branches, loops and shadowing keep facts honest', async () => {
  const code = `
const N: usize = 4096;
fn f(direct: bool, p: &str) {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    if direct {
        opts.custom_flags(libc::O_DIRECT);
    }
    let file = opts.open(p).unwrap();
    let mut buf = vec![0u8; N];
    file.read_at(&mut buf, 0).unwrap();
    let mut off = 0u64;
    loop {
        file.read_at(&mut buf, off).unwrap();
        off += 100;
    }
}
fn g(p: &str) {
    let mut len = 4096;
    if p.is_empty() { len = 100; }
    let f = std::fs::OpenOptions::new().custom_flags(libc::O_DIRECT).open(p).unwrap();
    let buf = vec![0u8; len];
    f.write_at(&buf, 0).unwrap();
    { let len = 7; let _ = len; }
    let b2 = vec![0u8; len];
    f.write_at(&b2, 0).unwrap();
}`;
  const facts = await extractFacts('rust', code);
  const keys = siteKeys(facts);
  assert.ok(keys.includes('7 o_direct_open opts.custom_flags'), keys.join('; '));
  const first = factsAt(code, facts, 'file.read_at(&mut buf, 0)');
  assert.equal(first.fdODirect, true, 'O_DIRECT on one branch still makes the read an O_DIRECT read');
  const looped = factsAt(code, facts, 'file.read_at(&mut buf, off)');
  assert.equal(valueOf(looped.offset), 'unknown', 'an offset advanced inside the loop is not the initial 0');
  const joined = factsAt(code, facts, 'f.write_at(&buf, 0)');
  assert.equal(valueOf(joined.length), 'unknown', '4096 on one path and 100 on the other is not derivable');
  const shadow = factsAt(code, facts, 'f.write_at(&b2, 0)');
  assert.equal(valueOf(shadow.length), 'unknown', 'the inner `let len = 7` does not leak out of its block');
});

test('rust: deeply nested code neither overflows the stack nor loses the site', async () => {
  const depth = 3000;
  const code = `fn f(a: i32, b: i32) { let _ = ${'('.repeat(depth)}unsafe { libc::copy_file_range(a, std::ptr::null_mut(), b, std::ptr::null_mut(), 196608, 0) }${')'.repeat(depth)}; }`;
  const started = Date.now();
  const facts = await extractFacts('rust', code);
  assert.deepEqual(facts.map((f) => f.site.kind), ['copy_file_range']);
  assert.ok(Date.now() - started < 5000);
  const blocks = `fn g(fd: i32) { ${'if fd > 0 { '.repeat(1500)} unsafe { libc::copy_file_range(fd, std::ptr::null_mut(), 1, std::ptr::null_mut(), 4096, 0) }; ${'} '.repeat(1500)} }`;
  const deep = await extractFacts('rust', blocks);
  assert.equal(deep.length, 1);
});

test('rust: registry wiring, extensions and a prefilter that keeps every fixture', () => {
  assert.equal(languageForFile('src/lib.rs'), 'rust');
  for (const f of ['rust/odirect.rs', 'rust/copy_file_range.rs', 'rust/ficlone.rs']) assert.match(readFixture(f), rustExtractor.prefilter);
  assert.doesNotMatch('fn main() { println!("hello"); let v = vec![1, 2]; }', rustExtractor.prefilter);
});

test('rust: extern "C" declarations, wildcard imports, boxed slices and read_to_end', async () => {
  const code = `use std::io::Read;
extern "C" {
    fn copy_file_range(fd_in: i32, off_in: *mut i64, fd_out: i32, off_out: *mut i64, len: usize, flags: u32) -> isize;
}
mod sys { pub use libc::*; }
fn f(a: i32, b: i32, p: &str) {
    let mut o: i64 = 4096;
    let n = unsafe { copy_file_range(a, &mut o, b, std::ptr::null_mut(), 8192, 0) };
    if n < 0 { return; }
    let mut file = std::fs::OpenOptions::new().custom_flags(libc::O_DIRECT).open(p).unwrap();
    let boxed = vec![0u8; 8192].into_boxed_slice();
    file.write_all(&boxed).unwrap();
    let mut all = Vec::new();
    file.read_to_end(&mut all).unwrap();
}`;
  const facts = await extractFacts('rust', code);
  const cfr = factsAt(code, facts, 'copy_file_range(a, &mut o');
  // `if n < 0 { return; }`: the failure is noticed only to give up (no fallback, no loop on a short count).
  assert.deepEqual([cfr.site.callee, valueOf(cfr.srcOffset), valueOf(cfr.length), cfr.resultHandled, cfr.resultOnlyEndsTheProgram],
    ['copy_file_range', 4096, 8192, false, true]);
  const boxed = factsAt(code, facts, 'write_all(&boxed)');
  assert.deepEqual([boxed.buffer?.state, valueOf(boxed.length)], ['unaligned', 8192]);
  const toEnd = factsAt(code, facts, 'read_to_end');
  assert.deepEqual([toEnd.buffer?.state, valueOf(toEnd.length)], ['unaligned', 'unknown']);
});

test('Rust: values passed to helper functions and methods are judged per call, through chains, and reported at the call', async () => {
  const { text, result } = await checkFixture('rust', 'rust/helpers.rs');
  const line = (marker: string) => text.split('\n').findIndex((l) => l.includes(marker));
  const chain = result.findings.find((f) => f.range.start.line === line('write_both(&f, &page.0[..4096], 1000)') && f.ruleId === 'ZDIO003');
  assert.match(inFull(chain!), /\(passed to write_both\(\) → write_at\(\), reaches f\.write_at\(\)\)$/);
  const method = result.findings.find((f) => f.range.start.line === line('log.append(&page.0[..4096], 100)'));
  assert.match(inFull(method!), /offset 100 .*\(passed to Log::append\(\), reaches self\.file\.write_at\(\)\)$/);
});

test('Rust: calls inside syscall!(…) (defined in the file or by convention), functions declared by syscall! { fn … }, and both arms of cfg_if!', async () => {
  const code = [
    'macro_rules! syscall {',
    '    ($name:ident($($arg:expr),* $(,)?)) => { unsafe { libc::$name($($arg),*) } };',
    '}',
    'macro_rules! declare {',
    '    (fn $name:ident($($a:ident: $t:ty),*) -> $r:ty) => { unsafe fn $name($($a: $t),*) -> $r { libc::syscall(libc::SYS_copy_file_range, $($a),*) as $r } };',
    '}',
    'declare! { fn copy_file_range(a: i32, b: *mut i64, c: i32, d: *mut i64, n: usize, f: u32) -> isize }',
    'fn probe(path: *const libc::c_char) -> isize {',
    '    let fd = syscall!(open(path, libc::O_RDWR | libc::O_DIRECT));',          // 9: open site
    '    let mut buf = vec![0u8; 512];',
    '    syscall!(pread(fd, buf.as_mut_ptr() as *mut libc::c_void, buf.len(), 0))', // 11: io site, ZDIO001 ZDIO002
    '}',
    'fn copy(a: i32, b: i32) -> isize { unsafe { copy_file_range(a, std::ptr::null_mut(), b, std::ptr::null_mut(), 65536, 0) } }', // 13: ZDIO010
    'cfg_if::cfg_if! {',
    '    if #[cfg(target_os = "linux")] {',
    '        fn fast(a: i32, b: i32) -> isize { unsafe { libc::copy_file_range(a, std::ptr::null_mut(), b, std::ptr::null_mut(), 4096, 0) } }', // 16: ZDIO010
    '    } else {',
    '        fn fast(_a: i32, _b: i32) -> isize { -1 }',
    '    }',
    '}',
    'fn not_libc() { let v = format!("{}", open_door(3)); drop(v); }',           // a macro argument that is not a wrapper: no site
    '',
  ].join('\n');
  const r = await analyzeText(code, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(r.sites.map((s) => `${s.range.start.line + 1} ${s.kind} ${s.callee}`),
    ['9 o_direct_open open', '11 o_direct_io pread', '13 copy_file_range copy_file_range', '16 copy_file_range libc::copy_file_range']);
  assert.deepEqual(r.findings.filter((f) => f.severity === 'warning').map((f) => `${f.range.start.line + 1} ${f.ruleId}`),
    ['11 ZDIO001', '11 ZDIO002', '13 ZDIO010', '16 ZDIO010']);
  assert.equal(r.findings.find((f) => f.range.start.line === 15)!.range.start.column, code.split('\n')[15]!.indexOf('4096'), 'positions inside cfg_if! map back to the file');
});

test('Rust: clone requests computed with ioctl-sys\'s iow! or nix\'s request_code_write!, passed through try_into()', async () => {
  const text = `use std::convert::TryInto;
use std::mem::size_of;
use std::os::unix::io::AsRawFd;
use ioctl_sys::iow;
const C_INT_SIZE: usize = size_of::<libc::c_int>();
const FICLONE: u32 = iow!(0x94, 9, C_INT_SIZE);
const FICLONERANGE: u32 = ioctl_sys::iow!(0x94, 13, size_of::<Range>());
const FIDEDUPERANGE: u32 = iow!(0x94, 54, 24);
pub fn clone_all(s: &std::fs::File, d: &std::fs::File, r: &Range) {
    unsafe { libc::ioctl(d.as_raw_fd(), FICLONE.try_into().unwrap(), s.as_raw_fd()) };
    unsafe { libc::ioctl(d.as_raw_fd(), FICLONERANGE as _, r) };
    unsafe { libc::ioctl(d.as_raw_fd(), nix::request_code_write!(0x94, 9, 4), s.as_raw_fd()) };
    unsafe { libc::ioctl(d.as_raw_fd(), FIDEDUPERANGE as _, r) };
}
`;
  const facts = await extractFacts('rust', text);
  assert.deepEqual(facts.map((f) => [f.site.kind, f.site.range.start.line + 1, f.ficloneVariant]), [
    ['ficlone', 10, 'FICLONE'], ['ficlone', 11, 'FICLONERANGE'], ['ficlone', 12, 'FICLONE'],
  ]);
});

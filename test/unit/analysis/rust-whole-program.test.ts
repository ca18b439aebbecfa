// Rust: values that reach an O_DIRECT I/O from somewhere else than the call's own arguments — a
// constant macro, an io-uring builder chain, a static shared by functions, the implicit file
// position, a helper that switches O_DIRECT on, and branches that pick the flags and the size together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { RUST_SITE_TEXT } from '../../../src/core/analysis/languages/rust-prefilter';
import { rustExtractor } from '../../../src/core/analysis/languages/rust';
import { DEFAULT_SETTINGS } from './rust-go-python-helpers';
import { analyzeIn, makeProject } from './workspace-helpers';
import { inFull } from '../../support/told';

/** `line kind` for every site and `line ruleId` for every finding (warnings and ZDIO004's information), lines counted from 1. */
async function report(lines: string[]): Promise<{ sites: string[]; warnings: string[]; messages: string[] }> {
  const r = await analyzeText(lines.join('\n'), 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const warnings = r.findings.filter((f) => f.severity === 'warning' || f.ruleId === 'ZDIO004');
  return {
    sites: r.sites.map((s) => `${s.range.start.line + 1} ${s.kind}`),
    warnings: warnings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`),
    messages: warnings.map((f) => f.message),
  };
}

const DIRECT_FILE = [
  'use std::fs::OpenOptions;',
  'use std::os::unix::fs::{FileExt, OpenOptionsExt};',
];

test('Rust prefilter: the extractor and the crate module provider test the same text', () => {
  assert.equal(rustExtractor.prefilter, RUST_SITE_TEXT);
});

test('Rust: a macro_rules! without arguments stands for its expansion (FICLONE!())', async () => {
  const { sites } = await report([
    'use std::os::unix::io::AsRawFd;',
    'macro_rules! CLONE_REQUEST { () => { 0x40049409 }; }',
    'macro_rules! OTHER_REQUEST { () => { 0x1234 }; }',
    'macro_rules! TAKES_ARGS { ($x:expr) => { 0x40049409 + $x }; }',
    'fn clone(a: &std::fs::File, b: &std::fs::File) {',
    '    unsafe { libc::ioctl(b.as_raw_fd(), CLONE_REQUEST!(), a.as_raw_fd()) };',   // 6: a FICLONE site
    '    unsafe { libc::ioctl(b.as_raw_fd(), OTHER_REQUEST!(), a.as_raw_fd()) };',   // another request: none
    '    unsafe { libc::ioctl(b.as_raw_fd(), TAKES_ARGS!(0), a.as_raw_fd()) };',     // not a constant macro: none
    '}',
  ]);
  assert.deepEqual(sites, ['6 ficlone']);
});

test('Rust: two definitions of one constant macro that disagree stand for neither', async () => {
  const { sites } = await report([
    '#[cfg(target_arch = "x86_64")] macro_rules! REQ { () => { 0x40049409 }; }',
    '#[cfg(not(target_arch = "x86_64"))] macro_rules! REQ { () => { 0x9409 }; }',
    'fn clone(a: i32, b: i32) { unsafe { libc::ioctl(b, REQ!(), a) }; }',
  ]);
  assert.deepEqual(sites, []);
});

test('Rust: io-uring opcode::Read/Write::new on an O_DIRECT descriptor are checked like pread/pwrite, with the chained offset', async () => {
  const { sites, warnings } = await report([
    'use io_uring::{opcode, types};',
    ...DIRECT_FILE,                                                                                        // 2, 3
    '#[repr(align(4096))] struct Blk([u8; 8192]);',
    'fn go(path: &str) {',
    '    let f = OpenOptions::new().read(true).write(true).custom_flags(libc::O_DIRECT).open(path).unwrap();', // 6
    '    let fd = types::Fd(f.as_raw_fd());',
    '    let mut small = vec![0u8; 100];',
    '    let _r = opcode::Read::new(fd, small.as_mut_ptr(), small.len() as _).build();',                     // 9: ZDIO001 ZDIO002
    '    let blk = Box::new(Blk([0; 8192]));',
    '    let _w = opcode::Write::new(fd, blk.0.as_ptr(), 8192)',                                               // 11: site
    '        .offset(1000)',                                                                                   // 12: ZDIO003
    '        .build();',
    '    let _ok = opcode::Write::new(fd, blk.0.as_ptr(), 8192).offset(8192).build();',                        // 14: aligned: only ZDIO004 (8 KiB is not a record)
    '    let _plain = opcode::Nop::new().build();',                                                            // not an I/O
    '}',
    'fn buffered(path: &str) {',
    '    let f = std::fs::File::open(path).unwrap();',
    '    let mut small = vec![0u8; 100];',
    '    let _r = opcode::Read::new(types::Fd(f.as_raw_fd()), small.as_mut_ptr(), 100).build();',            // not O_DIRECT: none
    '}',
  ]);
  assert.deepEqual(sites, ['6 o_direct_open', '9 o_direct_io', '11 o_direct_io', '14 o_direct_io']);
  assert.deepEqual(warnings, ['9 ZDIO001', '9 ZDIO002', '12 ZDIO003', '14 ZDIO004']);
});

test('Rust: a descriptor stored in a static by one function is O_DIRECT where another loads it', async () => {
  const { sites, warnings } = await report([
    'use std::sync::atomic::{AtomicI32, Ordering};',
    'static LOG: AtomicI32 = AtomicI32::new(-1);',
    'static OTHER: AtomicI32 = AtomicI32::new(-1);',
    'static mut RAW: i32 = -1;',
    'fn init(p: *const libc::c_char) {',
    '    let fd = unsafe { libc::open(p, libc::O_WRONLY | libc::O_DIRECT) };',                                   // 6
    '    LOG.store(fd, Ordering::SeqCst);',
    '    unsafe { RAW = fd; }',
    '    OTHER.store(unsafe { libc::open(p, libc::O_WRONLY) }, Ordering::SeqCst);',
    '}',
    'fn stamp() {',
    '    let fd = LOG.load(Ordering::SeqCst);',
    '    let m = [0u8; 16];',
    '    unsafe { libc::pwrite(fd, m.as_ptr() as *const libc::c_void, m.len(), 0) };',                           // 14: ZDIO001 ZDIO002
    '    unsafe { libc::pwrite(RAW, m.as_ptr() as *const libc::c_void, m.len(), 0) };',                          // 15: ZDIO001 ZDIO002
    '}',
    'fn buffered() {',
    '    let fd = OTHER.load(Ordering::SeqCst);',
    '    let m = [0u8; 16];',
    '    unsafe { libc::pwrite(fd, m.as_ptr() as *const libc::c_void, m.len(), 0) };',                           // not O_DIRECT: none
    '}',
    'fn close() { let fd = LOG.swap(-1, Ordering::SeqCst); if fd >= 0 { unsafe { libc::close(fd) }; } }',
  ]);
  assert.deepEqual(sites, ['6 o_direct_open', '14 o_direct_io', '15 o_direct_io']);
  assert.deepEqual(warnings, ['14 ZDIO001', '14 ZDIO002', '15 ZDIO001', '15 ZDIO002']);
});

test('Rust: read/write at the implicit file position: open at 0, sequential advance, seek, and what makes it unknown', async () => {
  const { warnings, messages } = await report([
    'use std::io::{Read, Seek, SeekFrom, Write};',
    ...DIRECT_FILE,                                                                                           // 2, 3
    '#[repr(C, align(4096))] struct Pages([u8; 65536]);',
    'fn run(path: &str, skip: u64) -> std::io::Result<()> {',
    '    let mut f = OpenOptions::new().read(true).write(true).truncate(true).custom_flags(libc::O_DIRECT).open(path)?;',
    '    let mut p = Box::new(Pages([0; 65536]));',
    '    f.write_all(&p.0[..8192])?;',                        // 8: at 0, 8 KiB: ZDIO004 (not a record)
    '    f.write_all(&p.0[..4096])?;',                        // 9: at 8192: ZDIO004
    '    f.seek(SeekFrom::Start(512))?;',
    '    f.read_exact(&mut p.0[..4096])?;',                   // 11: at 512: ZDIO003
    '    f.seek(SeekFrom::Current(3584))?;',
    '    f.read_exact(&mut p.0[..4096])?;',                   // 13: at 8192: fine
    '    f.seek(SeekFrom::End(512))?;',
    '    f.read_exact(&mut p.0[..4096])?;',                   // 15: unknown position: nothing
    '    f.rewind()?;',
    '    f.read_exact(&mut p.0[..4096])?;',                   // 17: at 0: fine
    '    let n = f.read(&mut p.0[..4096])?;',                 // 18: at 4096, may stop short
    '    f.seek(SeekFrom::Current(512))?;',
    '    f.read_exact(&mut p.0[..4096])?;',                   // 20: the position is unknown after a plain read: nothing
    '    f.seek(SeekFrom::Start(skip))?;',
    '    f.read_exact(&mut p.0[..4096])?;',                   // 22: an unknown seek: nothing
    '    f.seek(SeekFrom::Start(100))?;',
    '    helper(&mut f);',
    '    f.read_exact(&mut p.0[..4096])?;',                   // 25: a helper had the file: nothing
    '    let _ = n;',
    '    Ok(())',
    '}',
    'fn helper(_f: &mut std::fs::File) {}',
    'fn appending(path: &str) -> std::io::Result<()> {',
    '    let mut f = OpenOptions::new().append(true).custom_flags(libc::O_DIRECT).open(path)?;',
    '    let p = Box::new(Pages([0; 65536]));',
    '    f.write_all(&p.0[..8192])?;',                        // 33: appends to an existing file: position unknown
    '    Ok(())',
    '}',
  ]);
  assert.deepEqual(warnings, ['8 ZDIO004', '9 ZDIO004', '11 ZDIO003']);
  assert.match(messages[2]!, /512/);
});

test('Rust: a helper that sets O_DIRECT with fcntl on the descriptor it is given makes the caller\'s descriptor O_DIRECT', async () => {
  const { sites, warnings } = await report([
    'fn make_direct(fd: i32) {',
    '    let fl = unsafe { libc::fcntl(fd, libc::F_GETFL) };',
    '    unsafe { libc::fcntl(fd, libc::F_SETFL, fl | libc::O_DIRECT) };',                                     // 3
    '}',
    'fn not_direct(fd: i32) { unsafe { libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK) }; }',
    'fn probe(fd: i32, other: i32) {',
    '    let mut b = vec![0u8; 512];',
    '    unsafe { libc::pread(fd, b.as_mut_ptr() as *mut libc::c_void, 512, 0) };',                           // before: buffered
    '    make_direct(fd);',
    '    unsafe { libc::pread(fd, b.as_mut_ptr() as *mut libc::c_void, 512, 0) };',                           // 10: ZDIO001 ZDIO002
    '    not_direct(other);',
    '    unsafe { libc::pread(other, b.as_mut_ptr() as *mut libc::c_void, 512, 0) };',                        // none
    '}',
  ]);
  assert.deepEqual(sites, ['3 o_direct_open', '10 o_direct_io']);
  assert.deepEqual(warnings, ['10 ZDIO001', '10 ZDIO002']);
});

test('Rust: flags and size chosen together by one branch are checked on the O_DIRECT branch\'s path', async () => {
  const { sites, warnings } = await report([
    ...DIRECT_FILE,
    '#[repr(C, align(4096))] struct Page([u8; 4096]);',
    'fn tuple(direct: bool, path: &str) {',
    '    let (fl, len) = if direct { (libc::O_DIRECT, 512usize) } else { (0, 4096) };',
    '    let f = OpenOptions::new().read(true).custom_flags(fl).open(path).unwrap();',                         // 6
    '    let mut p = Page([0; 4096]);',
    '    let _ = f.read_at(&mut p.0[..len], 0);',                                                              // 8: ZDIO002 (512)
    '}',
    'fn assigned(direct: bool, path: &str) {',
    '    let mut fl = 0;',
    '    let mut len = 4096;',
    '    if direct { fl = libc::O_DIRECT; len = 1000; }',
    '    let f = OpenOptions::new().read(true).custom_flags(fl).open(path).unwrap();',                         // 14
    '    let mut p = Page([0; 4096]);',
    '    let _ = f.read_at(&mut p.0[..len], 0);',                                                              // 16: ZDIO002 (1000)
    '}',
    'fn matched(mode: u8, path: &str) {',
    '    let (fl, len) = match mode { 0 => (0, 4096usize), 1 => (libc::O_DIRECT, 4096), _ => (0, 10) };',
    '    let f = OpenOptions::new().read(true).custom_flags(fl).open(path).unwrap();',                         // 20
    '    let mut p = Page([0; 4096]);',
    '    let _ = f.read_at(&mut p.0[..len], 0);',                                                              // 22: 4096 on the direct arm: fine
    '}',
    'fn both_direct(big: bool, path: &str) {',
    '    let (fl, len) = if big { (libc::O_DIRECT, 4096usize) } else { (libc::O_DIRECT | libc::O_SYNC, 100) };',
    '    let f = OpenOptions::new().read(true).custom_flags(fl).open(path).unwrap();',                         // 26
    '    let mut p = Page([0; 4096]);',
    '    let _ = f.read_at(&mut p.0[..len], 0);',                                                              // 28: no branch singled out: the size is unknown
    '}',
  ]);
  assert.deepEqual(sites, ['6 o_direct_open', '8 o_direct_io', '14 o_direct_open', '16 o_direct_io', '20 o_direct_open', '22 o_direct_io',
    '26 o_direct_open', '28 o_direct_io']);
  assert.deepEqual(warnings, ['8 ZDIO002', '16 ZDIO002']);
});

test('Rust: libc::read/write on a raw descriptor use and move its position; lseek sets it', async () => {
  const { warnings } = await report([
    'fn raw(p: *const libc::c_char, big: *mut libc::c_void) {',
    '    let fd = unsafe { libc::open(p, libc::O_RDWR | libc::O_DIRECT) };',
    '    unsafe { libc::write(fd, big, 4096) };',                        // 3: at 0: ZDIO004 (not a record)
    '    unsafe { libc::lseek(fd, 1024, libc::SEEK_CUR) };',
    '    unsafe { libc::read(fd, big, 4096) };',                         // 5: at 5120: ZDIO003
    '    unsafe { libc::lseek(fd, 0, libc::SEEK_SET) };',
    '    unsafe { libc::read(fd, big, 4096) };',                         // 7: at 0: fine
    '    unsafe { libc::lseek(fd, 100, libc::SEEK_END) };',
    '    unsafe { libc::read(fd, big, 4096) };',                         // 9: unknown: nothing
    '}',
  ]);
  // `big` is a parameter: its alignment is not known, so only the offsets speak.
  assert.deepEqual(warnings, ['3 ZDIO004', '5 ZDIO003']);
});

test('Rust: a helper of another module of the crate, called with a known length or offset, is judged at the call', async () => {
  const project = makeProject({
    'Cargo.toml': '[package]\nname = "blocks"\nversion = "0.1.0"\nedition = "2021"\n',
    'src/lib.rs': 'mod io;\nmod user;\n',
    'src/io.rs': [
      'use std::os::unix::fs::FileExt;',
      '#[repr(C, align(4096))] pub struct Page(pub [u8; 65536]);',
      'pub fn write_block(f: &std::fs::File, buf: &[u8], off: u64) {',
      '    f.write_all_at(buf, off).unwrap();',
      '}',
      'pub fn read_raw(fd: i32, buf: *mut libc::c_void, len: usize) {',
      '    unsafe { libc::pread(fd, buf, len, 0) };',
      '}',
      '',
    ].join('\n'),
  });
  try {
    const user = [
      'use std::fs::OpenOptions;',
      'use std::os::unix::fs::OpenOptionsExt;',
      'use std::os::unix::io::AsRawFd;',
      'use crate::io::{write_block, Page};',
      'pub fn run(path: &str) {',
      '    let f = OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open(path).unwrap();',       // 6
      '    let page = Box::new(Page([0; 65536]));',
      '    write_block(&f, &page.0[..1000], 0);',                                                              // 8: ZDIO002
      '    write_block(&f, &page.0[..4096], 4096);',                                                           // 9: fine (ZDIO004 is information)
      '    crate::io::write_block(&f, &page.0[..4096], 100);',                                                 // 10: ZDIO003
      '    crate::io::read_raw(f.as_raw_fd(), std::ptr::null_mut(), 100);',                                    // 11: ZDIO002
      '    let plain = OpenOptions::new().write(true).open(path).unwrap();',
      '    write_block(&plain, &page.0[..1000], 0);',                                                          // 13: not O_DIRECT: none
      '}',
      '',
    ].join('\n');
    const r = await analyzeIn(project, 'src/user.rs', 'rust', user);
    assert.equal(r.analysisError, undefined);
    const warnings = r.findings.filter((f) => f.severity === 'warning');
    assert.deepEqual(warnings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`), ['8 ZDIO002', '10 ZDIO003', '11 ZDIO002']);
    assert.match(inFull(warnings[0]!), /length 1000 .*\(passed to crate::io::write_block\(\), reaches f\.write_all_at\(\) in io\.rs\)$/);
    assert.match(inFull(warnings[2]!), /length 100 .*reaches libc::pread\(\) in io\.rs/);
    // The I/O in io.rs is a related place of that file, on its own line (0-based 3 and 6).
    assert.deepEqual(warnings[0]!.related?.filter((x) => x.file).map((x) => [path.basename(x.file!), x.range.start.line, x.message]),
      [['io.rs', 3, 'f.write_all_at() receives it here']]);
    assert.deepEqual(warnings[2]!.related?.filter((x) => x.file).map((x) => [path.basename(x.file!), x.range.start.line]), [['io.rs', 6]]);
    // Without the workspace index the other module is unknown: nothing is said about the calls.
    const alone = await analyzeText(user, 'rust', DEFAULT_SETTINGS);
    assert.deepEqual(alone.findings.filter((f) => f.severity === 'warning'), []);
  } finally {
    project.remove();
  }
});

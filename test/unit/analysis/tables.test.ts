// Tables of test cases walked by a loop: each row is judged on its own, and a finding about a value a
// row supplies goes on that row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS, type AnalysisResult, type Language } from '../../../src/core/types';
import { inFull } from '../../support/told';

async function analyze(code: string, language: Language): Promise<AnalysisResult> {
  return analyzeText(code, language, DEFAULT_SETTINGS);
}

/** `ZDIO002@27` keys (1-based lines) of the findings, sorted. */
function keys(r: AnalysisResult): string[] {
  return r.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).sort();
}

/** 1-based line of the one line containing `needle`. */
function lineOf(code: string, needle: string): number {
  const hits = code.split('\n').flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  assert.equal(hits.length, 1, `"${needle}" must be on exactly one line`);
  return hits[0]!;
}

const C_HEAD = [
  '#define _GNU_SOURCE',
  '#include <fcntl.h>',
  '#include <stdlib.h>',
  '#include <unistd.h>',
  '#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))',
  'static int fd_direct = -1;',
  'static int fd_plain = -1;',
  'static char page[65536] __attribute__((aligned(4096)));',
];

/** An LTP-style table walked by `verify(i)` from a loop in main; `rows` are the table's rows, `bound` the loop's bound. */
function cTable(rows: string[], bound = 'ARRAY_SIZE(tcases)', extra: string[] = []): string {
  return [
    ...C_HEAD,
    'static struct tcase { int *fd; off_t offset; size_t count; const char *desc; } tcases[] = {',
    ...rows.map((r) => `\t${r},`),
    '};',
    'static void setup(void) {',
    '\tfd_direct = open("data", O_RDWR | O_DIRECT);',
    '\tfd_plain = open("plain", O_RDWR);',
    '}',
    'static int verify(unsigned int n) {',
    '\tstruct tcase *tc = &tcases[n];',
    ...extra,
    '\treturn pread(*tc->fd, page, tc->count, tc->offset) < 0;',
    '}',
    'int main(int argc, char **argv) {',
    '\tunsigned int i;',
    '\tint failed = 0;',
    '\tsetup();',
    `\tfor (i = 0; i < ${bound}; i++)`,
    '\t\tfailed |= verify(i);',
    '\treturn failed;',
    '}',
    '',
  ].join('\n');
}

test('C tables: a misaligned row gets the finding on its own line, naming the row and the I/O', async () => {
  const code = cTable([
    '{ &fd_direct, 0, 4096, "one page" }',
    '{ &fd_direct, 0, 100, "short read" }',
    '{ &fd_direct, 512, 4096, "sector offset" }',
    '{ &fd_direct, 131072, 131072, "one record" }',
  ]);
  const r = await analyze(code, 'c');
  const pread = lineOf(code, 'return pread(');
  assert.ok(r.sites.some((s) => s.kind === 'o_direct_io' && s.range.start.line + 1 === pread), 'the pread is an O_DIRECT site through its rows');
  assert.deepEqual(keys(r), [`ZDIO002@${lineOf(code, '"short read"')}`, `ZDIO003@${lineOf(code, '"sector offset"')}`]);
  const short = r.findings.find((f) => f.ruleId === 'ZDIO002')!;
  assert.match(inFull(short), /length 100 \(tc->count\) is not a multiple of page size 4096.*\(from row "short read" of tcases\[\], reaches pread\(\)\)$/);
  assert.equal(code.split('\n')[short.range.start.line]!.slice(short.range.start.column, short.range.end.column), '100', 'on the row\'s value');
  assert.deepEqual(short.related?.map((x) => [x.range.start.line + 1, x.message]), [[pread, 'pread() receives it here']]);
});

test('C tables: aligned rows, a row with an unknown value, a plain descriptor and a loop that does not walk the table give nothing', async () => {
  const aligned = await analyze(cTable(['{ &fd_direct, 0, 4096, "a" }', '{ &fd_direct, 8192, 131072, "b" }']), 'c');
  assert.deepEqual(keys(aligned), []);
  assert.equal(aligned.sites.filter((s) => s.kind === 'o_direct_io').length, 1);

  const unknown = await analyze(cTable(['{ &fd_direct, 0, 4096, "a" }', '{ &fd_direct, 0, (size_t)atoi("7"), "b" }']), 'c');
  assert.deepEqual(keys(unknown), []);

  const plain = await analyze(cTable(['{ &fd_plain, 0, 100, "short" }', '{ &fd_plain, 512, 4096, "sector" }']), 'c');
  assert.deepEqual(keys(plain), []);
  assert.deepEqual(plain.sites.filter((s) => s.kind === 'o_direct_io'), [], 'no row gives an O_DIRECT descriptor: not an O_DIRECT site');

  const rows = ['{ &fd_direct, 0, 4096, "a" }', '{ &fd_direct, 0, 100, "short" }'];
  assert.deepEqual(keys(await analyze(cTable(rows, 'argc'), 'c')), [], 'a bound that is not known');
  assert.deepEqual(keys(await analyze(cTable(rows, '1'), 'c')), [], 'the loop stops before the short row');
  assert.deepEqual(keys(await analyze(cTable(rows, '2'), 'c')), [`ZDIO002@${lineOf(cTable(rows), '"short"')}`], 'a numeric bound that covers it');
});

test('C tables: a guard that skips rows before the I/O keeps their values out', async () => {
  const code = [
    ...C_HEAD,
    '#include <errno.h>',
    'static struct tcase { off_t off; size_t len; int exp_err; } tcases[] = {',
    '\t{ 0, 100, EINVAL },',
    '\t{ 0, 200, 0 },',
    '\t{ 0, 4096, 0 },',
    '};',
    'void run(const char *p) {',
    '\tint fd = open(p, O_RDONLY | O_DIRECT);',
    '\tfor (unsigned int i = 0; i < ARRAY_SIZE(tcases); i++) {',
    '\t\tif (tcases[i].exp_err)',
    '\t\t\tcontinue;',
    '\t\tpread(fd, page, tcases[i].len, tcases[i].off);',
    '\t}',
    '}',
    '',
  ].join('\n');
  const r = await analyze(code, 'c');
  assert.deepEqual(keys(r), [`ZDIO002@${lineOf(code, '{ 0, 200, 0 }')}`], 'the EINVAL row is skipped; the 200-byte row is read');
});

test('C tables: LTP test functions (.tcnt/.test), row pointers passed to a helper, pointer loops ended by a sentinel', async () => {
  const ltp = [
    ...C_HEAD,
    'static int fd;',
    'static struct tcase { size_t count; off_t offset; } tcases[] = { { 4096, 0 }, { 4096, 100 }, { 1, 0 } };',
    'static void setup(void) { fd = open("f", O_RDWR | O_DIRECT); }',
    'static void run(unsigned int n) {',
    '\tstruct tcase *tc = &tcases[n];',
    '\tpwrite(fd, page, tc->count, tc->offset);',
    '}',
    'static struct tst_test test = { .tcnt = ARRAY_SIZE(tcases), .setup = setup, .test = run };',
    '',
  ].join('\n');
  const l = await analyze(ltp, 'c');
  const table = ltp.split('\n')[lineOf(ltp, 'tcases[] =') - 1]!;
  const at = (needle: string, skip: number) => table.indexOf(needle) + skip;
  assert.deepEqual(l.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}:${f.range.start.column}`).sort(), [
    `ZDIO002@10:${at('{ 1, 0 }', 2)}`, `ZDIO003@10:${at('{ 4096, 100 }', 8)}`, `ZDIO004@10:${at('{ 4096, 0 }', 2)}`,
  ], 'each row\'s own value: the short count, the misaligned offset, and a page write that is not a whole record');

  const pointer = [
    ...C_HEAD,
    'static const struct crange { loff_t src; size_t len; } ranges[] = {',
    '\t{ 0, 131072 },',
    '\t{ 4096, 131072 },',
    '\t{ 0, 131072 / 2 },',
    '};',
    'static int copy_one(int in_fd, int out_fd, const struct crange *r) {',
    '\tloff_t in = r->src, out = 0;',
    '\treturn copy_file_range(in_fd, &in, out_fd, &out, r->len, 0) < 0;',
    '}',
    'int main(void) {',
    '\tint a = open("a", O_RDONLY), b = open("b", O_WRONLY);',
    '\tfor (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) copy_one(a, b, &ranges[i]);',
    '\treturn 0;',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(keys(await analyze(pointer, 'c')), [`ZDIO010@${lineOf(pointer, '{ 4096, 131072 }')}`, `ZDIO010@${lineOf(pointer, '131072 / 2')}`]);

  const sentinel = [
    ...C_HEAD,
    'static struct tcase { const char *name; size_t len; } tcases[] = { { "page", 4096 }, { "short", 10 }, { NULL, 0 }, { "after", 3 } };',
    'void run(const char *p) {',
    '\tint fd = open(p, O_RDONLY | O_DIRECT);',
    '\tfor (struct tcase *tc = tcases; tc->name; tc++) read(fd, page, tc->len);',
    '}',
    '',
  ].join('\n');
  const s = await analyze(sentinel, 'c');
  const line = sentinel.split('\n')[8]!;
  assert.deepEqual(s.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}:${f.range.start.column}`), [`ZDIO002@9:${line.indexOf('10 }')}`], 'the short row, not the one after the sentinel');
  assert.match(inFull(s.findings[0]!), /\(from row "short" of tcases\[\], reaches read\(\)\)$/);
});

test('C++ tables: range-for over a struct table and structured bindings over a tuple-like table', async () => {
  const code = [
    '#include <fcntl.h>',
    '#include <unistd.h>',
    '#include <cstddef>',
    'struct Case { const char *name; off_t off; size_t len; };',
    'static const Case kCases[] = {',
    '  { "page", 0, 4096 },',
    '  { "short", 0, 1000 },',
    '};',
    'static const struct { off_t off; size_t len; } kPairs[] = { { 0, 8192 }, { 512, 4096 } };',
    'alignas(4096) static char buf[65536];',
    'void run(const char *path) {',
    '  int fd = ::open(path, O_RDONLY | O_DIRECT);',
    '  for (const auto &c : kCases) ::pread(fd, buf, c.len, c.off);',
    '  for (auto [off, len] : kPairs) ::pread(fd, buf, len, off);',
    '}',
    '',
  ].join('\n');
  const r = await analyze(code, 'cpp');
  assert.deepEqual(keys(r), [`ZDIO002@${lineOf(code, '"short"')}`, `ZDIO003@${lineOf(code, 'kPairs[] =')}`]);
});

test('C tables: rows evaluated are bounded, so a huge generated table costs little', async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => `{ &fd_direct, ${i * 4096}, ${i === 200 || i === 4999 ? 100 : 4096}, "r${i}" }`);
  const code = cTable(rows);
  const started = Date.now();
  const r = await analyze(code, 'c');
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  assert.deepEqual(keys(r), [`ZDIO002@${lineOf(code, '"r200"')}`], 'row 200 is judged; row 4999 lies past the rows evaluated');
});

/** A Go test whose rows are walked by a range loop; `open` is the open call, `loop` the loop header. */
function goTable(rows: string[], open = 'os.OpenFile(path, os.O_RDONLY|syscall.O_DIRECT, 0)', loop = 'for _, tc := range tests {'): string {
  return [
    'package p',
    '',
    'import (',
    '\t"os"',
    '\t"syscall"',
    '',
    '\t"github.com/ncw/directio"',
    ')',
    '',
    'func readAll(path string, n int) error {',
    `\tf, err := ${open}`,
    '\tif err != nil {',
    '\t\treturn err',
    '\t}',
    '\ttests := []struct {',
    '\t\tname string',
    '\t\toff  int64',
    '\t\tsize int',
    '\t}{',
    ...rows.map((r) => `\t\t${r},`),
    '\t}',
    `\t${loop}`,
    '\t\tbuf := directio.AlignedBlock(tc.size)',
    '\t\tif _, err := f.ReadAt(buf, tc.off); err != nil {',
    '\t\t\treturn err',
    '\t\t}',
    '\t}',
    '\treturn nil',
    '}',
    '',
  ].join('\n');
}

test('Go tables: a range loop over a struct-literal table judges each row, on its own line', async () => {
  const code = goTable(['{"one block", 0, 4096}', '{"short", 0, 1000}', '{name: "sector offset", off: 512, size: 4096}', '{"record", 131072, 131072}']);
  const r = await analyze(code, 'go');
  assert.deepEqual(keys(r), [`ZDIO002@${lineOf(code, '"short"')}`, `ZDIO003@${lineOf(code, '"sector offset"')}`]);
  assert.equal(r.sites.filter((s) => s.kind === 'o_direct_io').length, 1, 'one site, not one per row');
  const off = r.findings.find((f) => f.ruleId === 'ZDIO003')!;
  assert.match(inFull(off), /offset 512 \(tc\.off\) .*\(from row "sector offset" of tests\[\], reaches f\.ReadAt\(\)\)$/);
  assert.equal(code.split('\n')[off.range.start.line]!.slice(off.range.start.column, off.range.end.column), '512');
  assert.deepEqual(off.related?.map((x) => [x.range.start.line + 1, x.message]), [[lineOf(code, 'f.ReadAt('), 'f.ReadAt() receives it here']]);
});

test('Go tables: aligned rows, a row with an unknown value, a plain descriptor and a loop over something else give nothing', async () => {
  assert.deepEqual(keys(await analyze(goTable(['{"a", 0, 4096}', '{"b", 8192, 131072}']), 'go')), []);
  assert.deepEqual(keys(await analyze(goTable(['{"a", 0, 4096}', '{"b", 0, n}']), 'go')), [], 'n is a parameter nobody passes');
  const plain = await analyze(goTable(['{"short", 0, 1000}'], 'os.Open(path)'), 'go');
  assert.deepEqual(keys(plain), []);
  assert.deepEqual(plain.sites, []);
  assert.deepEqual(keys(await analyze(goTable(['{"short", 0, 1000}'], undefined, 'for _, tc := range other(tests) {'), 'go')), [], 'not the table itself');
});

const PY_HEAD = ['import mmap', 'import os', 'import pytest', ''];

test('Python tables: a for loop over a module-level list of tuples, and pytest parametrize rows, each judged on its row', async () => {
  const loop = [
    ...PY_HEAD,
    'CASES = [',
    '    ("one page", 0, 4096),',
    '    ("short", 0, 100),',
    '    ("sector offset", 1024, 4096),',
    ']',
    '',
    'def run(path):',
    '    fd = os.open(path, os.O_RDONLY | os.O_DIRECT)',
    '    buf = mmap.mmap(-1, 1 << 20)',
    '    view = memoryview(buf)',
    '    for name, offset, size in CASES:',
    '        os.preadv(fd, [view[:size]], offset)',
    '',
  ].join('\n');
  const r = await analyze(loop, 'python');
  assert.deepEqual(keys(r), [`ZDIO002@${lineOf(loop, '"short"')}`, `ZDIO003@${lineOf(loop, '"sector offset"')}`]);
  assert.equal(r.sites.filter((s) => s.kind === 'o_direct_io').length, 1);
  assert.match(inFull(r.findings.find((f) => f.ruleId === 'ZDIO003')!), /offset 1024 .*\(from row "sector offset" of CASES\[\], reaches os\.preadv\(\)\)$/);

  const param = [
    ...PY_HEAD,
    '@pytest.mark.parametrize("offset,size", [',
    '    (0, 4096),',
    '    (512, 4096),',
    '    (0, 10),',
    '])',
    'def test_read(tmp_path, offset, size):',
    '    fd = os.open(tmp_path / "f", os.O_RDONLY | os.O_DIRECT)',
    '    buf = mmap.mmap(-1, 65536)',
    '    os.preadv(fd, [memoryview(buf)[:size]], offset)',
    '',
  ].join('\n');
  const p = await analyze(param, 'python');
  assert.deepEqual(keys(p), [`ZDIO002@${lineOf(param, '(0, 10)')}`, `ZDIO003@${lineOf(param, '(512, 4096)')}`]);
  assert.match(inFull(p.findings.find((f) => f.ruleId === 'ZDIO002')!), /\(from row 3 of @pytest\.mark\.parametrize, reaches os\.preadv\(\)\)$/);
});

test('Python tables: aligned rows, a row with an unknown value, a plain descriptor and a loop over something else give nothing', async () => {
  const code = (rows: string[], open = 'os.O_RDONLY | os.O_DIRECT', over = 'CASES') => [
    ...PY_HEAD,
    'CASES = [',
    ...rows.map((r) => `    ${r},`),
    ']',
    'def run(path, n):',
    `    fd = os.open(path, ${open})`,
    '    buf = mmap.mmap(-1, 1 << 20)',
    `    for name, offset, size in ${over}:`,
    '        os.preadv(fd, [memoryview(buf)[:size]], offset)',
    '',
  ].join('\n');
  assert.deepEqual(keys(await analyze(code(['("a", 0, 4096)', '("b", 8192, 131072)']), 'python')), []);
  assert.deepEqual(keys(await analyze(code(['("a", 0, 4096)', '("b", 0, n)']), 'python')), []);
  const plain = await analyze(code(['("short", 0, 100)'], 'os.O_RDONLY'), 'python');
  assert.deepEqual(keys(plain), []);
  assert.deepEqual(plain.sites, []);
  assert.deepEqual(keys(await analyze(code(['("short", 0, 100)'], undefined, 'sorted(CASES)'), 'python')), []);
});

/** A Rust test walking a const table; `flags` is what the open adds, `over` what the loop iterates. */
function rustTable(rows: string[], flags = '.custom_flags(libc::O_DIRECT)', over = 'CASES'): string {
  return [
    'use std::fs::OpenOptions;',
    'use std::os::unix::fs::{FileExt, OpenOptionsExt};',
    '#[repr(C, align(4096))]',
    'struct Buf([u8; 64 * 1024]);',
    'const CASES: &[(&str, u64, usize)] = &[',
    ...rows.map((r) => `    ${r},`),
    '];',
    'fn direct_reads(n: usize) {',
    `    let file = OpenOptions::new().read(true)${flags}.open("/var/tmp/t").unwrap();`,
    '    let mut buf = Box::new(Buf([0; 64 * 1024]));',
    `    for &(name, off, len) in ${over} {`,
    '        let _ = file.read_at(&mut buf.0[..len], off);',
    '    }',
    '}',
    '',
  ].join('\n');
}

test('Rust tables: a for loop over a const slice of tuples judges each row; a struct table through .iter() too', async () => {
  const code = rustTable(['("one page", 0, 4096)', '("short length", 0, 1000)', '("sector offset", 512, 4096)']);
  const r = await analyze(code, 'rust');
  assert.deepEqual(keys(r), [`ZDIO002@${lineOf(code, '"short length"')}`, `ZDIO003@${lineOf(code, '"sector offset"')}`]);
  assert.equal(r.sites.filter((s) => s.kind === 'o_direct_io').length, 1);
  assert.match(inFull(r.findings.find((f) => f.ruleId === 'ZDIO002')!), /length 1000 .*\(from row "short length" of CASES\[\], reaches file\.read_at\(\)\)$/);

  const structs = [
    'use std::fs::OpenOptions;',
    'use std::os::unix::fs::{FileExt, OpenOptionsExt};',
    '#[repr(C, align(4096))]',
    'struct Buf([u8; 65536]);',
    'struct Case { off: u64, len: usize }',
    'fn run(path: &str) {',
    '    let file = OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open(path).unwrap();',
    '    let buf = Buf([0; 65536]);',
    '    let cases = [Case { off: 0, len: 4096 }, Case { off: 100, len: 4096 }];',
    '    for c in cases.iter() {',
    '        let _ = file.write_at(&buf.0[..c.len], c.off);',
    '    }',
    '}',
    '',
  ].join('\n');
  const s = await analyze(structs, 'rust');
  const line = structs.split('\n')[lineOf(structs, 'let cases') - 1]!;
  assert.deepEqual(s.findings.filter((f) => f.ruleId === 'ZDIO003').map((f) => [f.range.start.line + 1, f.range.start.column]), [[lineOf(structs, 'let cases'), line.indexOf('off: 100') + 5]]);
});

test('Rust tables: aligned rows, a row with an unknown value, a plain descriptor and a loop over something else give nothing', async () => {
  assert.deepEqual(keys(await analyze(rustTable(['("a", 0, 4096)', '("b", 8192, 65536)']), 'rust')), []);
  assert.deepEqual(keys(await analyze(rustTable(['("a", 0, 4096)', '("b", 0, len_of())']), 'rust')), [], 'an unknown length');
  const plain = await analyze(rustTable(['("short", 0, 1000)'], ''), 'rust');
  assert.deepEqual(keys(plain), []);
  assert.deepEqual(plain.sites, []);
  assert.deepEqual(keys(await analyze(rustTable(['("short", 0, 1000)'], undefined, 'CASES.iter().step_by(n)'), 'rust')), []);
});

/** Buffers a setup function allocates into globals, read through a table's `&abuf`/`&hbuf` rows. */
function cSetup(setupBody: string[], mainBody: string[] = ['\tsetup();', '\tfor (i = 0; i < ARRAY_SIZE(tcases); i++)', '\t\tverify(i);'], extra: string[] = []): string {
  return [
    ...C_HEAD,
    'static char *abuf, *hbuf;',
    'static struct tcase { char **buf; size_t count; const char *desc; } tcases[] = {',
    '\t{ &abuf, 4096, "aligned" },',
    '\t{ &hbuf, 4096, "heap" },',
    '};',
    'static void setup(void) {',
    '\tfd_direct = open("data", O_RDWR | O_DIRECT);',
    ...setupBody,
    '}',
    'static void verify(unsigned int n) {',
    '\tstruct tcase *tc = &tcases[n];',
    ...extra,
    '\tpread(fd_direct, *tc->buf, tc->count, 0);',
    '}',
    'int main(void) {',
    '\tunsigned int i;',
    ...mainBody,
    '\treturn 0;',
    '}',
    '',
  ].join('\n');
}

test('C: globals a setup function writes once (called first by main, or LTP .setup) are what the tests read; table rows that only read them are not writes', async () => {
  const allocate = ['\tif (posix_memalign((void **)&abuf, 4096, 65536))', '\t\texit(1);', '\thbuf = malloc(65536);'];
  const code = cSetup(allocate);
  const r = await analyze(code, 'c');
  assert.deepEqual(keys(r), [`ZDIO001@${lineOf(code, '"heap"')}`], 'the heap row only: the aligned row is posix_memalign\'s');
  assert.match(inFull(r.findings[0]!), /buffer from malloc\(65536\) may not be page-aligned .*\(from row "heap" of tcases\[\], reaches pread\(\)\)$/);

  const ltp = cSetup(allocate, ['\tverify(0);']).replace('int main(void) {', 'static struct tst_test test = { .setup = setup, .test = verify, .tcnt = 2 };\nint unused(void) {')
    .replace('\tverify(0);', '');
  assert.deepEqual(keys(await analyze(ltp, 'c')), [`ZDIO001@${lineOf(ltp, '"heap"')}`], 'LTP runs .setup before the tests');

  // silent: setup is not known to run first, the write is conditional, or a row's pointer is written through
  assert.deepEqual(keys(await analyze(cSetup(allocate, ['\tverify(1);', '\tsetup();', '\tfor (i = 0; i < ARRAY_SIZE(tcases); i++)', '\t\tverify(i);']), 'c')), []);
  assert.deepEqual(keys(await analyze(cSetup(allocate, ['\tsetup();', '\tsetup();', '\tfor (i = 0; i < ARRAY_SIZE(tcases); i++)', '\t\tverify(i);']), 'c')), []);
  assert.deepEqual(keys(await analyze(cSetup(['\tif (fd_direct > 0)', '\t\thbuf = malloc(65536);']), 'c')), []);
  assert.deepEqual(keys(await analyze(cSetup(allocate, undefined, ['\tif (n == 7)', '\t\t*tc->buf = malloc(10);']), 'c')), [], 'rows whose pointer is written through');
});

test('Tables: a row-dependent guard that leaves the loop keeps the later rows out; a row-dependent condition around the I/O is not judged per row', async () => {
  const c = [
    ...C_HEAD,
    'static struct tcase { size_t len; int last; } tcases[] = { { 4096, 0 }, { 4096, 1 }, { 100, 0 } };',
    'void run(const char *p) {',
    '\tint fd = open(p, O_RDONLY | O_DIRECT);',
    '\tfor (unsigned int i = 0; i < ARRAY_SIZE(tcases); i++) {',
    '\t\tif (tcases[i].last)',
    '\t\t\tbreak;',
    '\t\tread(fd, page, tcases[i].len);',
    '\t}',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(keys(await analyze(c, 'c')), [], 'the loop ends at the second row: the 100-byte row is never read');
  assert.deepEqual(keys(await analyze(c.replace('break;', 'continue;'), 'c')), [`ZDIO002@${lineOf(c, 'tcases[] =')}`], 'continue skips only its own row');

  const go = goTable(['{"one block", 0, 4096}', '{"short", 0, 1000}']).replace('\t\tbuf := directio.AlignedBlock(tc.size)', '\t\tif tc.name == "one block" {\n\t\t\tbreak\n\t\t}\n\t\tbuf := directio.AlignedBlock(tc.size)');
  assert.deepEqual(keys(await analyze(go, 'go')), [], 'Go: after a guard on the row that can leave');
  const py = [
    ...PY_HEAD,
    'CASES = [(0, 4096, False), (0, 100, True)]',
    'def run(path):',
    '    fd = os.open(path, os.O_RDONLY | os.O_DIRECT)',
    '    buf = mmap.mmap(-1, 65536)',
    '    for offset, size, skip in CASES:',
    '        if not skip:',
    '            os.preadv(fd, [memoryview(buf)[:size]], offset)',
    '',
  ].join('\n');
  assert.deepEqual(keys(await analyze(py, 'python')), [], 'Python: inside a condition on the row');
  const rust = rustTable(['("a", 0, 4096)', '("skip", 0, 1000)']).replace('        let _ = file.read_at', '        if name == "skip" { continue; }\n        let _ = file.read_at');
  assert.deepEqual(keys(await analyze(rust, 'rust')), [], 'Rust: after a guard on the row that can leave');
});

test('Go, Python and Rust tables: rows walked are bounded, so a huge generated table costs little', async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => `{"r${i}", ${i * 4096}, ${i === 200 || i === 4999 ? 1000 : 4096}}`);
  const code = goTable(rows);
  const started = Date.now();
  const r = await analyze(code, 'go');
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  assert.deepEqual(keys(r), [`ZDIO002@${lineOf(code, '"r200"')}`], 'row 200 is walked; row 4999 lies past the rows walked');

  const py = [
    ...PY_HEAD,
    `CASES = [${Array.from({ length: 5000 }, (_, i) => `(${i}, ${i === 4999 ? 100 : 4096})`).join(', ')}]`,
    'def run(path):',
    '    fd = os.open(path, os.O_RDONLY | os.O_DIRECT)',
    '    buf = mmap.mmap(-1, 65536)',
    '    for i, size in CASES:',
    '        os.preadv(fd, [memoryview(buf)[:size]], 0)',
    '',
  ].join('\n');
  const t0 = Date.now();
  assert.deepEqual(keys(await analyze(py, 'python')), []);
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
});

test('Python tables: a row read by constant indexes (case[1]) is that row\'s item; a list row, which may change, is not', async () => {
  const code = (rows: string) => [
    ...PY_HEAD,
    `CASES = ${rows}`,
    'def run(path):',
    '    fd = os.open(path, os.O_RDONLY | os.O_DIRECT)',
    '    buf = mmap.mmap(-1, 65536)',
    '    for case in CASES:',
    '        os.preadv(fd, [memoryview(buf)[:case[1]]], case[-1])',
    '',
  ].join('\n');
  const tuples = code('[(4096, 4096, 0), (4096, 100, 8192)]');
  assert.deepEqual(keys(await analyze(tuples, 'python')), [`ZDIO002@${lineOf(tuples, 'CASES =')}`]);
  assert.deepEqual(keys(await analyze(code('[[4096, 4096, 0], [4096, 100, 8192]]'), 'python')), []);
});

// A quick fix never makes code worse. Each case is one way a fix could: a read rounded up past its buffer,
// a shared constant changed under other code, a hard-coded page size, a write, copy or clone of bytes the
// program did not mean to touch. Every offered fix is applied and the result re-analysed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { applyEdits } from '../../../src/core/analysis/fixes';
import { DEFAULT_SETTINGS, type Finding, type Fix, type Language } from '../../../src/core/types';

async function finding(code: string, ruleId: string, language: Language = 'c', at?: string, settings = DEFAULT_SETTINGS): Promise<Finding> {
  const r = await analyzeText(code, language, settings);
  const line = at === undefined ? undefined : code.split('\n').findIndex((l) => l.includes(at));
  const f = r.findings.find((x) => x.ruleId === ruleId && (line === undefined || x.range.start.line === line));
  assert.ok(f, `${ruleId}${at ? ` at "${at}"` : ''} among ${r.findings.map((x) => `${x.ruleId}:${x.range.start.line}`).join(', ')}`);
  return f;
}

/** The fixes besides the suppression comment. */
const edits = (f: Finding): Fix[] => f.fixes.filter((x) => !/^Suppress /.test(x.title));

async function applied(code: string, fix: Fix, language: Language = 'c'): Promise<{ text: string; rules: string[] }> {
  const text = applyEdits(code, fix.edits);
  return { text, rules: (await analyzeText(text, language, DEFAULT_SETTINGS)).findings.map((x) => x.ruleId).sort() };
}

const C_OPEN = 'int fd = open(p, O_RDONLY | O_DIRECT);';

test('the reported case: malloc(1000) read with 1000 bytes; the length fix grows the malloc with the read', async () => {
  const code = `long f(const char *p) {\n  ${C_OPEN}\n  char *buf = malloc(1000);\n  return read(fd, buf, 1000);\n}\n`;
  const [fix, ...more] = edits(await finding(code, 'ZDIO002'));
  assert.equal(more.length, 0);
  const { text, rules } = await applied(code, fix!);
  assert.match(text, /char \*buf = malloc\(4096\);\n {2}return read\(fd, buf, 4096\);/, 'the buffer is as long as the read');
  assert.deepEqual(rules, ['ZDIO001'], 'ZDIO002 is gone; the malloc is still unaligned (its own fix)');
});

test('a read into a buffer of unknown size gets no length fix, and the finding says why', async () => {
  const code = `long f(const char *p, char *buf) {\n  ${C_OPEN}\n  return pread(fd, buf, 700, 0);\n}\n`;
  const f = await finding(code, 'ZDIO002');
  assert.deepEqual(edits(f), []);
  assert.match(f.manualFix!, /the size of the buffer \(buf\) is not known: a 4096-byte read could overflow it/);
});

test('a buffer big enough already: only the length changes', async () => {
  const code = `long f(const char *p) {\n  ${C_OPEN}\n  char *b = aligned_alloc(4096, 8192);\n  return pread(fd, b, 3000, 0);\n}\n`;
  const [fix] = edits(await finding(code, 'ZDIO002'));
  assert.equal(fix!.edits.length, 1);
  assert.deepEqual((await applied(code, fix!)).rules, []);
});

test('a read into the middle of a buffer counts only what is left of it', async () => {
  const code = `long f(const char *p) {\n  ${C_OPEN}\n  char *b = aligned_alloc(4096, 8192);\n  return pread(fd, b + 4096, 5000, 0);\n}\n`;
  const [fix] = edits(await finding(code, 'ZDIO002'));
  const { text, rules } = await applied(code, fix!);
  assert.match(text, /aligned_alloc\(4096, 12288\);\n {2}return pread\(fd, b \+ 4096, 8192, 0\)/, '4096 + 8192 bytes');
  assert.deepEqual(rules, []);
});

test('arrays, posix_memalign and new[] grow with the read', async () => {
  const array = `long f(const char *p) {\n  ${C_OPEN}\n  char s[512] __attribute__((aligned(4096)));\n  return pread(fd, s, 512, 0) + s[0];\n}\n`;
  const a = await applied(array, edits(await finding(array, 'ZDIO002'))[0]!);
  assert.match(a.text, /char s\[4096\] __attribute__/);
  assert.deepEqual(a.rules, []);

  const memalign = `long f(const char *p) {\n  ${C_OPEN}\n  void *q;\n  posix_memalign(&q, 4096, 1500);\n  return pread(fd, q, 1500, 0);\n}\n`;
  const m = await applied(memalign, edits(await finding(memalign, 'ZDIO002'))[0]!);
  assert.match(m.text, /posix_memalign\(&q, 4096, 4096\);\n {2}return pread\(fd, q, 4096, 0\)/);
  assert.deepEqual(m.rules, []);

  const cpp = `long f(const char *p) {\n  ${C_OPEN}\n  char *q = new char[2000];\n  return ::pread(fd, q, 2000, 0);\n}\n`;
  const n = await applied(cpp, edits(await finding(cpp, 'ZDIO002', 'cpp'))[0]!, 'cpp');
  assert.match(n.text, /new char\[4096\];\n {2}return ::pread\(fd, q, 4096, 0\)/);
});

test('an array measured elsewhere (sizeof) is not grown', async () => {
  const code = `long f(const char *p) {\n  ${C_OPEN}\n  char s[512];\n  long n = pread(fd, s, 512, 0);\n  return n + (long)sizeof s;\n}\n`;
  const f = await finding(code, 'ZDIO002');
  assert.deepEqual(edits(f), []);
  assert.match(f.manualFix!, /s is measured elsewhere too/);
});

test('a constant used elsewhere is not rounded; one that only sizes this buffer and this read grows both', async () => {
  const shared = `#define LEN 1000\nstruct rec { char name[LEN]; };\nlong f(const char *p) {\n  ${C_OPEN}\n  char *b = aligned_alloc(4096, 4096);\n  return pread(fd, b, LEN, 0);\n}\n`;
  const s = await finding(shared, 'ZDIO002');
  assert.deepEqual(edits(s), [], 'struct rec would change');
  assert.match(s.manualFix!, /LEN is used elsewhere too \(1 more use\)/);

  const own = `#define LEN 1000\nlong f(const char *p) {\n  ${C_OPEN}\n  void *b;\n  posix_memalign(&b, 4096, LEN);\n  return pread(fd, b, LEN, 0);\n}\n`;
  const [fix] = edits(await finding(own, 'ZDIO002'));
  assert.match(fix!.title, /Round LEN up to 4096 .*it is the buffer's size too/);
  const o = await applied(own, fix!);
  assert.match(o.text, /^#define LEN 4096\n/);
  assert.deepEqual(o.rules, []);
});

test('a write, an offset, copy_file_range and FICLONERANGE are never rounded: each would touch other bytes', async () => {
  const write = `long f(const char *p) {\n  int fd = open(p, O_WRONLY | O_DIRECT);\n  char *b = aligned_alloc(4096, 4096);\n  return pwrite(fd, b, 100, 0);\n}\n`;
  const w = await finding(write, 'ZDIO002');
  assert.deepEqual(edits(w), []);
  assert.match(w.manualFix!, /would write bytes the program did not mean to write/);

  const offset = `long f(const char *p) {\n  ${C_OPEN}\n  char *b = aligned_alloc(4096, 4096);\n  return pread(fd, b, 4096, 1000);\n}\n`;
  const o = await finding(offset, 'ZDIO003');
  assert.deepEqual(edits(o), []);
  assert.match(o.manualFix!, /read or write other bytes of the file/);

  const cfr = '#define TAIL (3 * 65536)\nint f(int a, int b) {\n  return copy_file_range(a, NULL, b, NULL, TAIL, 0) < 0;\n}\n';
  const c = await finding(cfr, 'ZDIO010');
  assert.deepEqual(edits(c), [], 'no "Round TAIL up to 262144": it would copy 64 KiB the program did not ask for');
  assert.match(c.manualFix!, /clone the aligned part with one call and copy the unaligned tail with a second call/);

  const clone = 'int f(int s, int d) {\n  struct file_clone_range r = { .src_fd = s, .src_offset = 0, .src_length = 4096, .dest_offset = 0 };\n  return ioctl(d, FICLONERANGE, &r);\n}\n';
  const r = await finding(clone, 'ZDIO020');
  assert.deepEqual(edits(r), [], 'no "Round r.src_length up to 131072"');
  assert.match(r.manualFix!, /would clone more, or other, bytes/);
});

test('malloc(BLOCK_SIZE) keeps its name and uses the file\'s page size constant', async () => {
  const code = `#define PAGE_BYTES 4096\n#define BLOCK_SIZE (128 * 1024)\nlong f(const char *p) {\n  ${C_OPEN}\n  char *block = malloc(BLOCK_SIZE);\n  return pread(fd, block, BLOCK_SIZE, 0);\n}\n`;
  const [fix] = edits(await finding(code, 'ZDIO001'));
  assert.equal(fix!.title, 'Allocate with aligned_alloc(PAGE_BYTES, …) instead of malloc (free() still works)');
  const { text, rules } = await applied(code, fix!);
  assert.match(text, /char \*block = aligned_alloc\(PAGE_BYTES, BLOCK_SIZE\);/, 'BLOCK_SIZE is a page multiple: no rounding');
  assert.deepEqual(rules, []);

  const odd = code.replace('(128 * 1024)', '5000');
  const oddText = (await applied(odd, edits(await finding(odd, 'ZDIO001'))[0]!)).text;
  assert.match(oddText, /aligned_alloc\(PAGE_BYTES, \(BLOCK_SIZE \+ PAGE_BYTES - 1\) \/ PAGE_BYTES \* PAGE_BYTES\)/, 'rounded up with the names');
});

test('the page size: a variable from sysconf first, a constant only if it equals the configured page size, else sysconf', async () => {
  const local = `long f(const char *p, size_t n) {\n  long pg = sysconf(_SC_PAGESIZE);\n  ${C_OPEN}\n  char *b = malloc(n);\n  return pread(fd, b, pg, 0);\n}\n`;
  const l = await applied(local, edits(await finding(local, 'ZDIO001'))[0]!);
  assert.match(l.text, /char \*b = aligned_alloc\(pg, \(n \+ pg - 1\) \/ pg \* pg\);/);
  assert.deepEqual(l.rules, []);

  const sixteen = `#include <unistd.h>\n#define PAGE_BYTES 16384\nlong f(const char *p) {\n  ${C_OPEN}\n  char *b = malloc(65536);\n  return pread(fd, b, 65536, 0);\n}\n`;
  const allocation = (fix: Fix | undefined) => fix!.edits.find((e) => e.newText.includes('aligned_alloc'))!.newText;
  const [at4k] = edits(await finding(sixteen, 'ZDIO001'));
  assert.equal(allocation(at4k), 'aligned_alloc(sysconf(_SC_PAGESIZE), 65536)', 'PAGE_BYTES is not the page size of this analysis (4096)');
  const [at16k] = edits(await finding(sixteen, 'ZDIO001', 'c', undefined, { ...DEFAULT_SETTINGS, pageSize: 16384 }));
  assert.equal(allocation(at16k), 'aligned_alloc(PAGE_BYTES, 65536)');

  const later = `long f(const char *p) {\n  ${C_OPEN}\n  char *b = malloc(8192);\n  return pread(fd, b, 8192, 0);\n}\n#define PAGE_BYTES 4096\n`;
  const [notYet] = edits(await finding(later, 'ZDIO001'));
  assert.doesNotMatch(notYet!.title, /PAGE_BYTES/, 'a macro defined after the allocation is not in scope there');
});

test('aligned_alloc is declared in <stdlib.h>, not in <malloc.h>: the fix adds the include', async () => {
  const code = `#include <fcntl.h>\n#include <malloc.h>\n#define PAGE_BYTES 4096\nlong f(const char *p) {\n  ${C_OPEN}\n  char *b = malloc(8192);\n  return pread(fd, b, 8192, 0);\n}\n`;
  const [fix] = edits(await finding(code, 'ZDIO001'));
  const { text } = await applied(code, fix!);
  assert.match(text, /^#include <stdlib.h>\n#include <fcntl.h>\n#include <malloc.h>\n/, 'before the first include');
  assert.match(text, /aligned_alloc\(PAGE_BYTES, 8192\)/);
});

test('C++: std::malloc keeps its qualification and the namespace\'s constexpr page size', async () => {
  const code = `#include <cstdlib>\nnamespace io {\nconstexpr std::size_t kPageSize = 4096;\nlong f(const char *p) {\n  ${C_OPEN}\n  char *b = static_cast<char *>(std::malloc(3 * kPageSize));\n  return ::pread(fd, b, 3 * kPageSize, 0);\n}\n}\n`;
  const [fix] = edits(await finding(code, 'ZDIO001', 'cpp'));
  assert.deepEqual(fix!.edits.map((e) => e.newText), ['std::aligned_alloc(kPageSize, 3 * kPageSize)'], '<cstdlib> is there already');
  assert.deepEqual((await applied(code, fix!, 'cpp')).rules, []);
});

test('Rust, Go and Python: a buffer whose length is the read grows only where nothing else uses it', async () => {
  const rust = 'use std::os::unix::fs::{FileExt, OpenOptionsExt};\nfn f(p: &str) -> std::io::Result<usize> {\n    let f = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_DIRECT).open(p)?;\n    let mut scratch = vec![0u8; 1000];\n    f.read_at(&mut scratch, 0)\n}\n';
  const r = await applied(rust, edits(await finding(rust, 'ZDIO002', 'rust'))[0]!, 'rust');
  assert.match(r.text, /vec!\[0u8; 4096\]/);
  assert.deepEqual(r.rules, ['ZDIO001']);
  const used = rust.replace('f.read_at(&mut scratch, 0)', 'f.read_at(&mut scratch, 0)?;\n    Ok(scratch.len())');
  const u = await finding(used, 'ZDIO002', 'rust');
  assert.deepEqual(edits(u), []);
  assert.match(u.manualFix!, /scratch is used elsewhere too/);

  const go = 'package m\nimport (\n\t"os"\n\t"syscall"\n)\nfunc f(p string) (int, error) {\n\tf, _ := os.OpenFile(p, os.O_RDONLY|syscall.O_DIRECT, 0)\n\treturn f.ReadAt(make([]byte, 1000), 0)\n}\n';
  const g = await applied(go, edits(await finding(go, 'ZDIO002', 'go'))[0]!, 'go');
  assert.match(g.text, /make\(\[\]byte, 4096\)/);

  const python = 'import mmap, os\ndef f(p):\n    fd = os.open(p, os.O_RDONLY | os.O_DIRECT)\n    return os.preadv(fd, [mmap.mmap(-1, 3000)], 0)\n';
  const py = await applied(python, edits(await finding(python, 'ZDIO002', 'python'))[0]!, 'python');
  assert.match(py.text, /mmap\.mmap\(-1, 4096\)/);
  assert.deepEqual(py.rules, []);
  const pread = 'import os\ndef f(p):\n    fd = os.open(p, os.O_RDONLY | os.O_DIRECT)\n    return os.pread(fd, 1000, 0)\n';
  const pr = await applied(pread, edits(await finding(pread, 'ZDIO002', 'python'))[0]!, 'python');
  assert.match(pr.text, /os\.pread\(fd, 4096, 0\)/, 'os.pread allocates as much as it is asked for');
});

test('the page size constant is never rounded to a recordsize (ZDIO004 has no automatic fix)', async () => {
  const go = 'package m\nimport (\n\t"os"\n\t"syscall"\n\t"golang.org/x/sys/unix"\n)\nconst PageSize int64 = 4096\nfunc f(p string) {\n\tf, _ := os.OpenFile(p, os.O_RDWR|syscall.O_DIRECT, 0)\n\tmem, _ := unix.Mmap(-1, 0, 131072, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)\n\tf.WriteAt(mem[:8192], PageSize)\n}\n';
  const g = await finding(go, 'ZDIO004', 'go');
  assert.deepEqual(edits(g), [], 'no "Round PageSize up to 131072"');
  assert.match(g.manualFix!, /Batch writes into whole, record-aligned records/);
});

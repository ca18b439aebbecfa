// Suppression comments and quick fixes, end to end: analyze, apply the fix's edits, re-analyze.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { applyEdits, formatLike, withoutComments } from '../../../src/core/analysis/fixes';
import { DEFAULT_SETTINGS, type Fix, type Language } from '../../../src/core/types';
import { analyzeFixture, findingKeys } from './c-family-helpers';

test('zfs-dio-ignore: line above, same line, lists, bare, wrong rule, not inside strings', async () => {
  const { text, result } = await analyzeFixture('c/suppress.c');
  assert.deepEqual(findingKeys(text, result.findings), [
    'ZDIO010@string-not-comment', 'ZDIO010@wrong-rule',
    'ZDIO012@above-one', 'ZDIO012@string-not-comment', 'ZDIO012@wrong-rule',
  ]);
  // The sites are still listed: suppression hides findings, not calls.
  assert.equal(result.sites.length, 5);
});

test('a marker inside a string on the same line does not suppress', async () => {
  const code = 'void f(int a, int b) {\n  log_it("// zfs-dio-ignore"); copy_file_range(a, NULL, b, NULL, 100, 0);\n}\n';
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  assert.deepEqual(r.findings.map((f) => f.ruleId).sort(), ['ZDIO010', 'ZDIO012']);
});

test('a comment block above a multi-line call suppresses findings on later argument lines', async () => {
  const code = 'void f(int a, int b) {\n  /* legacy path:\n   * zfs-dio-ignore ZDIO010 ZDIO012 */\n  copy_file_range(a, NULL, b, NULL,\n                  100, 0);\n}\n';
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  assert.deepEqual(r.findings, []);
});

function fixNamed(fixes: Fix[], re: RegExp): Fix {
  const f = fixes.find((x) => re.test(x.title));
  assert.ok(f, `a fix matching ${re} among: ${fixes.map((x) => x.title).join(' | ')}`);
  return f;
}

async function onlyFinding(code: string, ruleId: string, language: Language = 'c') {
  const r = await analyzeText(code, language, DEFAULT_SETTINGS);
  const f = r.findings.find((x) => x.ruleId === ruleId);
  assert.ok(f, `${ruleId} in ${r.findings.map((x) => x.ruleId).join(',')}`);
  return f;
}

test('fix: round a read length\'s #define up to the page size when the buffer holds it, and the finding goes away', async () => {
  const code = '#define LEN (3 * 1000) /* bytes */\nint f(const char *p) {\n  int fd = open(p, O_RDONLY | O_DIRECT);\n  void *b; posix_memalign(&b, 4096, 8192);\n  return pread(fd, b, LEN, 0) < 0;\n}\n';
  const f = await onlyFinding(code, 'ZDIO002');
  const fix = fixNamed(f.fixes, /Round LEN up to 4096 \(a multiple of the page size 4096\); the buffer holds 8192 bytes/);
  const fixed = applyEdits(code, fix.edits);
  assert.equal(fixed, code.replace('(3 * 1000)', '4096'));
  assert.deepEqual((await analyzeText(fixed, 'c', DEFAULT_SETTINGS)).findings, []);
});

test('fix: a const, an enum constant, a local initializer, an iovec field and a literal read length are rounded where they are written', async () => {
  const constCode = 'static const size_t CHUNK = 0x1800UL;\nint f(int fd) {\n  int d = open("x", O_RDONLY | O_DIRECT);\n  void *p; posix_memalign(&p, 4096, 8192);\n  return read(d, p, CHUNK) < 0;\n}\n';
  const c = await onlyFinding(constCode, 'ZDIO002');
  assert.match(applyEdits(constCode, fixNamed(c.fixes, /Round CHUNK up to 8192/).edits), /static const size_t CHUNK = 0x2000UL;/);

  const enumCode = 'enum { SZ = 1000 };\nint f(const char *p) {\n  int d = open(p, O_DIRECT);\n  char *b = aligned_alloc(4096, 4096);\n  return pread(d, b, SZ, 0) < 0;\n}\n';
  const e = await onlyFinding(enumCode, 'ZDIO002');
  assert.match(applyEdits(enumCode, fixNamed(e.fixes, /Round SZ up to 4096/).edits), /enum \{ SZ = 4096 \};/);

  const localCode = 'int f(const char *p) {\n  int d = open(p, O_DIRECT);\n  size_t len = 3000;\n  char *b = aligned_alloc(4096, 4096);\n  return pread(d, b, len, 0) < 0;\n}\n';
  const l = await onlyFinding(localCode, 'ZDIO002');
  const local = applyEdits(localCode, fixNamed(l.fixes, /Round len up to 4096/).edits);
  assert.match(local, /size_t len = 4096;/);
  assert.match(local, /pread\(d, b, len, 0\)/, 'the argument keeps its name');

  const iovCode = 'int f(const char *p) {\n  int d = open(p, O_DIRECT);\n  void *a; posix_memalign(&a, 4096, 8192);\n  struct iovec v = { .iov_base = a, .iov_len = 6000 };\n  return preadv(d, &v, 1, 0) < 0;\n}\n';
  const v = await onlyFinding(iovCode, 'ZDIO002');
  assert.match(applyEdits(iovCode, fixNamed(v.fixes, /Round 6000 up to 8192/).edits), /\.iov_len = 8192 \}/);

  const literalCode = 'int f(const char *p) {\n  int d = open(p, O_DIRECT);\n  char *b = aligned_alloc(4096, 4096);\n  return pread(d, b, 100u, 0) < 0;\n}\n';
  const lit = await onlyFinding(literalCode, 'ZDIO002');
  assert.match(applyEdits(literalCode, fixNamed(lit.fixes, /Round 100u up to 4096/).edits), /pread\(d, b, 4096u, 0\)/);
});

test('fix: a length computed from names is not replaced by a number', async () => {
  const code = '#define SECTOR 512\nint f(const char *p) {\n  int d = open(p, O_DIRECT);\n  char *b = aligned_alloc(4096, 8192);\n  return pread(d, b, 3 * SECTOR, 0) < 0;\n}\n';
  const f = await onlyFinding(code, 'ZDIO002');
  assert.deepEqual(f.fixes.map((x) => x.title), ['Suppress ZDIO002 here (zfs-dio-ignore)']);
  assert.match(f.manualFix!, /the length 3 \* SECTOR is computed/);
});

test('fix: malloc → aligned_alloc with sysconf(_SC_PAGESIZE) when the file has no page size, and the include it needs', async () => {
  const known = 'int f(const char *p) {\n  int fd = open(p, O_RDWR | O_DIRECT);\n  char *buf = malloc(5000);\n  return pread(fd, buf, 8192, 0) < 0;\n}\n';
  const k = await onlyFinding(known, 'ZDIO001');
  const fix = fixNamed(k.fixes, /aligned_alloc\(sysconf\(_SC_PAGESIZE\), …\)/);
  assert.equal(fix.isPreferred, true);
  const fixed = applyEdits(known, fix.edits);
  assert.deepEqual(fixed.split('\n').slice(0, 2), ['#include <stdlib.h>', '#include <unistd.h>'], 'aligned_alloc needs <stdlib.h>, sysconf <unistd.h>');
  assert.match(fixed, /char \*buf = aligned_alloc\(sysconf\(_SC_PAGESIZE\), \(5000 \+ sysconf\(_SC_PAGESIZE\) - 1\) \/ sysconf\(_SC_PAGESIZE\) \* sysconf\(_SC_PAGESIZE\)\);/);
  assert.deepEqual((await analyzeText(fixed, 'c', DEFAULT_SETTINGS)).findings, []);

  const unknown = '#include <stdlib.h>\n#include <unistd.h>\nint f(const char *p, size_t n) {\n  int fd = open(p, O_RDWR | O_DIRECT);\n  char *buf = (char *)malloc(n * 2);\n  return read(fd, buf, 4096) < 0;\n}\n';
  const u = await onlyFinding(unknown, 'ZDIO001');
  const unknownFixed = applyEdits(unknown, fixNamed(u.fixes, /aligned_alloc/).edits);
  assert.match(unknownFixed, /\(char \*\)aligned_alloc\(sysconf\(_SC_PAGESIZE\), \(\(n \* 2\) \+ sysconf\(_SC_PAGESIZE\) - 1\) \/ sysconf\(_SC_PAGESIZE\) \* sysconf\(_SC_PAGESIZE\)\);/);
  assert.equal(unknownFixed.match(/#include <(?:stdlib|unistd).h>/g)!.length, 2, 'an include the file has is not added again');

  const calloc = 'int f(const char *p) {\n  int fd = open(p, O_RDWR | O_DIRECT);\n  char *buf = calloc(1, 4096);\n  return read(fd, buf, 4096) < 0;\n}\n';
  const c = await onlyFinding(calloc, 'ZDIO001');
  assert.equal(c.fixes.some((x) => /aligned_alloc/.test(x.title)), false, 'calloc also zeroes: no blind replacement');
});

test('fix: the suppression comment keeps the indentation and then suppresses', async () => {
  const code = 'void f(int a, int b) {\n\tif (a) {\n\t\tcopy_file_range(a, NULL, b, NULL, 100, 0);\n\t}\n}\n';
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  const f = r.findings.find((x) => x.ruleId === 'ZDIO010')!;
  const fix = fixNamed(f.fixes, /Suppress ZDIO010/);
  const fixed = applyEdits(code, fix.edits);
  assert.equal(fixed, 'void f(int a, int b) {\n\tif (a) {\n\t\t// zfs-dio-ignore ZDIO010\n\t\tcopy_file_range(a, NULL, b, NULL, 100, 0);\n\t}\n}\n');
  const again = await analyzeText(fixed, 'c', DEFAULT_SETTINGS);
  assert.deepEqual(again.findings.map((x) => x.ruleId), ['ZDIO012']);
  // A second suppression extends the existing comment instead of stacking another one.
  const second = fixNamed(again.findings[0]!.fixes, /Suppress ZDIO012/);
  const both = applyEdits(fixed, second.edits);
  assert.match(both, /\t\t\/\/ zfs-dio-ignore ZDIO010, ZDIO012\n/);
  assert.deepEqual((await analyzeText(both, 'c', DEFAULT_SETTINGS)).findings, []);
});

test('fix: CRLF files get a CRLF suppression line', async () => {
  const code = 'void f(int a, int b) {\r\n    copy_file_range(a, NULL, b, NULL, 100, 0);\r\n}\r\n';
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  const fix = fixNamed(r.findings.find((x) => x.ruleId === 'ZDIO010')!.fixes, /Suppress/);
  const fixed = applyEdits(code, fix.edits);
  assert.equal(fixed, 'void f(int a, int b) {\r\n    // zfs-dio-ignore ZDIO010\r\n    copy_file_range(a, NULL, b, NULL, 100, 0);\r\n}\r\n');
  assert.deepEqual((await analyzeText(fixed, 'c', DEFAULT_SETTINGS)).findings.map((x) => x.ruleId), ['ZDIO012']);
});

test('formatLike keeps hex and suffixes', () => {
  assert.equal(formatLike('0x30000ULL', 262144), '0x40000ULL');
  assert.equal(formatLike('196608', 262144), '262144');
  assert.equal(formatLike('100u', 4096), '4096u');
  assert.equal(formatLike('(1 << 17) + 4096', 262144), '262144');
  assert.equal(formatLike('0600', 4096), '4096');
  assert.equal(formatLike('1000usize', 4096), '4096usize', 'a Rust type suffix stays');
  assert.equal(formatLike('100_000', 102400), '102400');
});

test('withoutComments blanks comments only: not inside strings, chars, raw strings or Python strings', () => {
  const c = 'a = "// not" + \'/\'; /* gone\n still */ b; // gone\n';
  assert.equal(withoutComments(c, 'c'), `a = "// not" + '/'; ${' '.repeat(7)}\n${' '.repeat(9)} b; ${' '.repeat(7)}\n`);
  assert.equal(withoutComments('x /* a /* b */ c */ y', 'rust'), 'x                   y', 'Rust block comments nest');
  assert.equal(withoutComments("fn f<'a>(s: &'a str) { g(\"'#\") } // c", 'rust'), "fn f<'a>(s: &'a str) { g(\"'#\") }     ");
  assert.equal(withoutComments('s := `// raw\n` // c', 'go'), 's := `// raw\n`     ');
  assert.equal(withoutComments('x = "#" + \'\'\'\n# kept\n\'\'\'  # gone', 'python'), 'x = "#" + \'\'\'\n# kept\n\'\'\'        ');
  assert.equal(withoutComments('a\r\n// c\r\nb', 'c').length, 'a\r\n// c\r\nb'.length, 'offsets are kept');
});

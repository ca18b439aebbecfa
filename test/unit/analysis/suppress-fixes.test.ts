// Suppression comments and quick fixes, end to end: analyze, apply the fix's edits, re-analyze.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { applyEdits, formatLike } from '../../../src/core/analysis/fixes';
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

test('fix: round the #define up to the recordsize, and the finding goes away', async () => {
  const code = '#define LEN (3 * 65536) /* bytes */\nint f(int a, int b) {\n  return copy_file_range(a, NULL, b, NULL, LEN, 0) < 0;\n}\n';
  const f = await onlyFinding(code, 'ZDIO010');
  const fix = fixNamed(f.fixes, /Round LEN up to 262144/);
  assert.equal(fix.isPreferred, true);
  const fixed = applyEdits(code, fix.edits);
  assert.equal(fixed, '#define LEN 262144 /* bytes */\nint f(int a, int b) {\n  return copy_file_range(a, NULL, b, NULL, LEN, 0) < 0;\n}\n');
  assert.deepEqual((await analyzeText(fixed, 'c', DEFAULT_SETTINGS)).findings, []);
});

test('fix: round a const, an enum constant, a local initializer, a struct field, a literal argument', async () => {
  const constCode = 'static const size_t CHUNK = 0x1800UL;\nint f(int fd) {\n  int d = open("x", O_RDONLY | O_DIRECT);\n  void *p; posix_memalign(&p, 4096, 8192);\n  return read(d, p, CHUNK) < 0;\n}\n';
  const c = await onlyFinding(constCode, 'ZDIO002');
  assert.match(applyEdits(constCode, fixNamed(c.fixes, /Round CHUNK up to 8192/).edits), /static const size_t CHUNK = 0x2000UL;/);

  const enumCode = 'enum { SZ = 1000 };\nint f(const char *p, char *b) {\n  int d = open(p, O_DIRECT);\n  return pread(d, b, 4096, SZ) < 0;\n}\n';
  const e = await onlyFinding(enumCode, 'ZDIO003');
  assert.match(applyEdits(enumCode, fixNamed(e.fixes, /Round SZ up to 4096/).edits), /enum \{ SZ = 4096 \};/);

  const localCode = 'int f(int a, int b) {\n  size_t len = 196608;\n  return copy_file_range(a, NULL, b, NULL, len, 0) < 0;\n}\n';
  const l = await onlyFinding(localCode, 'ZDIO010');
  assert.match(applyEdits(localCode, fixNamed(l.fixes, /Round len up to 262144/).edits), /size_t len = 262144;/);

  const fieldCode = 'int f(int s, int d) {\n  struct file_clone_range r = { .src_fd = s, .src_offset = 0, .src_length = 4096, .dest_offset = 0 };\n  return ioctl(d, FICLONERANGE, &r);\n}\n';
  const r = await onlyFinding(fieldCode, 'ZDIO020');
  assert.match(applyEdits(fieldCode, fixNamed(r.fixes, /Round r\.src_length up to 131072/).edits), /\.src_length = 131072,/);

  const literalCode = 'int f(int a, int b) {\n  return copy_file_range(a, NULL, b, NULL, 100000, 0) < 0;\n}\n';
  const lit = await onlyFinding(literalCode, 'ZDIO010');
  assert.match(applyEdits(literalCode, fixNamed(lit.fixes, /Round 100000 up to 131072/).edits), /NULL, 131072, 0\)/);
});

test('fix: no "round" edit over an argument that is not a literal', async () => {
  const code = 'int f(int a, int b, long *p) {\n  loff_t off = 4096;\n  loff_t *q = p;\n  copy_file_range(a, &off, b, NULL, 131072, 0);\n  return 0;\n}\n';
  const f = await onlyFinding(code, 'ZDIO010');
  const fixed = applyEdits(code, fixNamed(f.fixes, /Round off up to 131072/).edits);
  assert.match(fixed, /loff_t off = 131072;/);
  assert.match(fixed, /copy_file_range\(a, &off, b, NULL, 131072, 0\)/);
});

test('fix: malloc → aligned_alloc with a rounded size, known or not', async () => {
  const known = 'int f(const char *p) {\n  int fd = open(p, O_RDWR | O_DIRECT);\n  char *buf = malloc(5000);\n  return pread(fd, buf, 8192, 0) < 0;\n}\n';
  const k = await onlyFinding(known, 'ZDIO001');
  const fix = fixNamed(k.fixes, /aligned_alloc/);
  assert.equal(fix.isPreferred, true);
  const fixed = applyEdits(known, fix.edits);
  assert.match(fixed, /char \*buf = aligned_alloc\(4096, 8192\);/);
  assert.deepEqual((await analyzeText(fixed, 'c', DEFAULT_SETTINGS)).findings, []);

  const unknown = 'int f(const char *p, size_t n) {\n  int fd = open(p, O_RDWR | O_DIRECT);\n  char *buf = (char *)malloc(n * 2);\n  return read(fd, buf, 4096) < 0;\n}\n';
  const u = await onlyFinding(unknown, 'ZDIO001');
  assert.match(applyEdits(unknown, fixNamed(u.fixes, /aligned_alloc/).edits), /\(char \*\)aligned_alloc\(4096, \(\(n \* 2\) \+ 4095\) \/ 4096 \* 4096\);/);

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
});

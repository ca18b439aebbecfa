// "Why is this call quiet?": a site without a finding says which values its rules could not check,
// and where each trail ended; a site that was checked and is fine says nothing of the kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { hoverMarkdown } from '../../../src/shared/present';
import { DEFAULT_SETTINGS, type Language } from '../../../src/core/types';

async function sites(text: string, language: Language = 'c') {
  const r = await analyzeText(text, language, DEFAULT_SETTINGS, { fileName: `/x/quiet.${language === 'c' ? 'c' : language}` });
  return r;
}

const HEAD = '#include <fcntl.h>\n#include <stdlib.h>\n#include <unistd.h>\n';

test('a helper\'s length with no caller in the file: the parameter and the missing call are named', async () => {
  const r = await sites(HEAD + [
    'ssize_t other(int fd, char *buf, size_t n) { return pread(fd, buf, n, 0); }',
    'ssize_t do_io(int fd, char *buf, size_t count) {',
    '  return pread(fd, buf, count, 0);',
    '}',
    'int main(void) {',
    '  int fd = open("f", O_RDONLY | O_DIRECT);',
    '  char *buf = aligned_alloc(4096, 8192);',
    '  if (do_io(fd, buf, 4096) < 0) return 1;',
    '  return other(fd, buf, strtoul("7", 0, 10)) < 0;',
    '}',
  ].join('\n'));
  assert.deepEqual(r.findings, []);
  const io = r.sites.filter((s) => s.kind === 'o_direct_io');
  assert.equal(io.length, 2);
  // do_io: every value is known through its one call, which is aligned: checked, and nothing to say
  const doIo = io.find((s) => s.range.start.line === 5)!;
  assert.equal(doIo.unknowns, undefined, 'known at its only call, and fine there: checked');
  const other = io.find((s) => s.range.start.line === 3)!;
  const length = other.unknowns?.find((u) => u.value === 'length');
  assert.ok(length, JSON.stringify(other.unknowns));
  assert.match(length.reason, /`n` is a parameter of `other\(\)`; no call in this file passes a known value/);
  assert.ok(!other.unknowns!.some((u) => u.value === 'descriptor'), 'the descriptor is O_DIRECT at its only call');
});

test('values computed at run time and an unknown file position are named; known, aligned values are not', async () => {
  const r = await sites(HEAD + [
    'int run(const char *p, size_t n) {',
    '  int fd = open(p, O_RDWR | O_DIRECT);',
    '  static char page[4096] __attribute__((aligned(4096)));',
    '  if (pread(fd, page, 4096, 8192) < 0) return 1;',   // all known, aligned
    '  size_t len = strtoul(p, 0, 10);',
    '  if (pread(fd, page, len, 0) < 0) return 1;',       // length unknown
    '  lseek(fd, n, SEEK_SET);',
    '  return write(fd, page, 4096) < 0;',               // position unknown
    '}',
  ].join('\n'));
  assert.deepEqual(r.findings.map((f) => f.ruleId), []);
  const at = (line: number) => r.sites.find((s) => s.kind === 'o_direct_io' && s.range.start.line === line)!;
  assert.equal(at(6).unknowns, undefined, 'checked and fine: no unknowns');
  assert.deepEqual(at(8).unknowns?.map((u) => [u.value, u.text]), [['length', 'len']]);
  assert.match(at(8).unknowns![0]!.reason, /value of `len` is not known here/);
  assert.deepEqual(at(10).unknowns?.map((u) => u.value), ['offset']);
  assert.match(at(10).unknowns![0]!.reason, /`n` is a parameter of `run\(\)`; no call of `run\(\)` in this file/, 'the position is where lseek put it: n');
});

test('a site with a finding gets no unknowns; the hover says "not checked" instead of "no problem"', async () => {
  const r = await sites(HEAD + [
    'int run(const char *p, char *given) {',
    '  int fd = open(p, O_RDWR | O_DIRECT);',
    '  char *buf = malloc(100);',
    '  if (read(fd, buf, 100) < 0) return 1;',
    '  return pread(fd, given, 4096, 0) < 0;',
    '}',
  ].join('\n'));
  const io = r.sites.filter((s) => s.kind === 'o_direct_io');
  const bad = io.find((s) => s.range.start.line === 6)!;
  assert.ok(r.findings.some((f) => f.site.range.start.line === 6));
  assert.equal(bad.unknowns, undefined);
  const quiet = io.find((s) => s.range.start.line === 7)!;
  assert.deepEqual(quiet.unknowns?.map((u) => u.value), ['buffer']);
  const md = hoverMarkdown([{ site: quiet, findings: [], explainArgs: [] }]);
  assert.match(md, /Not checked/);
  assert.match(md, /buffer `given`/);
  assert.doesNotMatch(md, /No alignment problem/);
  const clean = hoverMarkdown([{ site: { ...quiet, unknowns: undefined }, findings: [], explainArgs: [] }]);
  assert.match(clean, /No alignment problem found/);
});

test('copy_file_range and FICLONERANGE name their unknown offsets and lengths; Python too', async () => {
  const r = await sites(HEAD + [
    'ssize_t cp(int a, int b, loff_t off, size_t n) {',
    '  loff_t o = off, d = 0;',
    '  ssize_t got = copy_file_range(a, &o, b, &d, n, 0);',
    '  return got;',
    '}',
  ].join('\n'));
  const cfr = r.sites.find((s) => s.kind === 'copy_file_range')!;
  assert.deepEqual(cfr.unknowns?.map((u) => u.value), ['source offset', 'length']);
  const py = await sites([
    'import os',
    'def read_block(path, size):',
    '    fd = os.open(path, os.O_RDONLY | os.O_DIRECT)',
    '    return os.pread(fd, size, 0)',
    '',
  ].join('\n'), 'python');
  const site = py.sites.find((s) => s.kind === 'o_direct_io');
  assert.ok(site, JSON.stringify(py.sites));
  assert.ok(py.findings.length > 0 || site.unknowns?.some((u) => u.value === 'length'), JSON.stringify(site));
});

test('a helper known at some calls only: checked there, and the others named', async () => {
  const r = await sites(HEAD + [
    'ssize_t rd(int fd, char *buf, size_t n) { return pread(fd, buf, n, 0); }',
    'int main(int argc, char **argv) {',
    '  int fd = open("f", O_RDONLY | O_DIRECT);',
    '  char *buf = aligned_alloc(4096, 8192);',
    '  if (rd(fd, buf, 4096) < 0) return 1;',
    '  return rd(fd, buf, strtoul(argv[1], 0, 10)) < 0;',
    '}',
  ].join('\n'));
  assert.deepEqual(r.findings, []);
  const site = r.sites.find((s) => s.kind === 'o_direct_io')!;
  assert.deepEqual(site.unknowns?.map((u) => u.value), ['length']);
  assert.match(site.unknowns![0]!.reason, /checked for the call in this file that passes a known value, and fine there; another call passes a value that is not known/);
});

test('a read at a file position nothing tells: the position is named', async () => {
  const r = await sites(HEAD + [
    'int run(const char *p, int flag) {',
    '  int fd = open(p, O_RDWR | O_DIRECT);',
    '  static char page[4096] __attribute__((aligned(4096)));',
    '  if (flag) lseek(fd, 100, SEEK_SET);',
    '  return read(fd, page, 4096) < 0;',
    '}',
  ].join('\n'));
  const site = r.sites.find((s) => s.kind === 'o_direct_io')!;
  assert.deepEqual(site.unknowns?.map((u) => [u.value, u.text]), [['offset', 'the file position']]);
  assert.match(site.unknowns![0]!.reason, /file position at this call is not known/);
});

test('a length computed from a helper\'s parameters, known at no call: the expression and the function are named', async () => {
  const r = await sites(HEAD + [
    'static int fd;',
    'ssize_t read_range(char *buf, off_t start, off_t end) { return pread(fd, buf, end - start, start); }',
    'int main(int argc, char **argv) {',
    '  fd = open("f", O_RDONLY | O_DIRECT);',
    '  char *buf = aligned_alloc(4096, 8192);',
    '  return read_range(buf, 0, strtoul(argv[1], 0, 10)) < 0;',
    '}',
  ].join('\n'));
  assert.deepEqual(r.findings, []);
  const io = r.sites.find((s) => s.kind === 'o_direct_io')!;
  const length = io.unknowns?.find((u) => u.value === 'length');
  assert.match(length?.reason ?? '', /`end - start` is computed from the parameters of `read_range\(\)`; no call in this file passes a known value/, JSON.stringify(io.unknowns));
});

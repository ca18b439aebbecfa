// Hostile input: deep nesting, huge files, garbage. The analyzer must answer, never throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS, LANGUAGES } from '../../../src/core/types';

const ids = (r: { findings: { ruleId: string }[] }): string[] => r.findings.map((f) => f.ruleId).sort();

test('5000 nested parentheses around an argument', async () => {
  const n = 5000;
  const code = `void f(int a, int b) { copy_file_range(a, NULL, b, NULL, ${'('.repeat(n)}100000${')'.repeat(n)}, 0); }\n`;
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  assert.equal(r.sites.length, 1);
  assert.equal(r.analysisError, undefined);
  // The length is beyond the evaluation depth cap: unknown, so no ZDIO010 (never a guess).
  assert.deepEqual(ids(r), ['ZDIO012']);
});

test('5000 nested blocks and 2000 nested ifs: the site is found and values still flow', async () => {
  const blocks = `void f(int a, int b) { ${'{'.repeat(5000)} copy_file_range(a, NULL, b, NULL, 100000, 0); ${'}'.repeat(5000)} }\n`;
  assert.deepEqual(ids(await analyzeText(blocks, 'c', DEFAULT_SETTINGS)), ['ZDIO010', 'ZDIO012']);
  const ifs = `void f(int a, int b) { size_t len = 100000; ${'if (a) {'.repeat(2000)} copy_file_range(a, NULL, b, NULL, len, 0); ${'}'.repeat(2000)} }\n`;
  const r = await analyzeText(ifs, 'cpp', DEFAULT_SETTINGS);
  assert.deepEqual(ids(r), ['ZDIO010', 'ZDIO012']);
  assert.match(r.findings.find((f) => f.ruleId === 'ZDIO010')!.message, /len 100000 \(len\)/);
});

test('a 2000-deep #define chain stops at the depth cap', async () => {
  let code = '#define M0 4096\n';
  for (let i = 1; i < 2000; i++) code += `#define M${i} (M${i - 1} + 1)\n`;
  code += 'void f(int a, int b) { copy_file_range(a, NULL, b, NULL, M1999, 0); }\n';
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  assert.equal(r.sites.length, 1);
  assert.deepEqual(ids(r), ['ZDIO012']);
});

test('an 8 MB file with sites sprinkled in', { timeout: 120_000 }, async () => {
  const plain = 'static int plain(int x) {\n  int y = x * 3;\n  for (int k = 0; k < y; k++) y ^= k;\n  return y;\n}\n';
  const site = 'int hit(int a, int b) { return copy_file_range(a, NULL, b, NULL, 100000, 0) < 0; }\n';
  const parts = ['#include <fcntl.h>\n'];
  let len = parts[0]!.length;
  for (let i = 0; len < 8 * 1024 * 1024; i++) { const p = i % 1000 === 0 ? site : plain; parts.push(p); len += p.length; }
  const text = parts.join('');
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  const expected = parts.filter((p) => p === site).length;
  assert.equal(r.sites.length, expected);
  assert.equal(r.findings.length, expected);
  assert.ok(r.findings.every((f) => f.ruleId === 'ZDIO010'));
});

test('garbage, lone surrogates, NULs, replacement characters and truncated calls in every language', async () => {
  let junk = '';
  for (let i = 0; i < 50_000; i++) junk += String.fromCharCode((i * 7919 + 13) % 65536);
  const samples = [
    junk + 'copy_file_range(',
    '\u0000\uD800copy_file_range(a, &\uDFFF, b, NULL, 4096, 0)\uFFFD\uFFFD O_DIRECT FICLONE',
    '}}}{{{ ((( copy_file_range ( O_DIRECT ) ]]]] #define x ( template<<<< ioctl(fd, FICLONERANGE, &',
    'int f(){ int fd = open(p, O_DIRECT); read(fd, ',
    Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x63, 0x6f, 0x70, 0x79]).toString('utf8') + ' copy_file_range(a,0,b,0,1,0);',
  ];
  for (const language of LANGUAGES) {
    for (const text of samples) {
      const r = await analyzeText(text, language, DEFAULT_SETTINGS);
      assert.equal(r.language, language);
      assert.ok(Array.isArray(r.sites) && Array.isArray(r.findings));
    }
  }
});

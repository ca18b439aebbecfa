// Structs as O_DIRECT buffers: sizeof of a struct, class or union the file defines (LP64 layout with
// padding), and the address of a struct variable as a buffer that is not page-aligned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS, type Language } from '../../../src/core/types';
import { factsOf } from './c-family-helpers';

/** The length the extractor derives for `pwrite(fd, buf, EXPR, 0)` on an O_DIRECT descriptor, with `pre` at file scope. */
async function sizeOf(expr: string, pre: string, language: Language = 'c'): Promise<number | undefined> {
  const code = `${pre}\nvoid f(const char *p, char *buf) {\n  int fd = open(p, O_RDWR | O_DIRECT);\n  pwrite(fd, buf, ${expr}, 0);\n}\n`;
  const facts = (await factsOf(code, language)).filter((f) => f.site.kind === 'o_direct_io');
  assert.equal(facts.length, 1, `one O_DIRECT write in:\n${code}`);
  const d = facts[0]!.length;
  return d?.known ? d.value : undefined;
}

test('sizeof a struct of the file: members at their alignment, the whole rounded to the largest', async () => {
  const stamp = 'struct stamp { char magic[8]; unsigned int generation; unsigned int crc; };';
  assert.equal(await sizeOf('sizeof(struct stamp)', stamp), 16);
  const padded = 'struct padded { char tag; uint64_t size; short kind; };';
  assert.equal(await sizeOf('sizeof(struct padded)', padded), 24);
  // a typedef name, a nested struct and an array of structs
  const nested = 'typedef struct { uint32_t crc; struct stamp st; } header_t;\nstruct table { header_t rows[3]; char *name; };';
  assert.equal(await sizeOf('sizeof(header_t)', `${stamp}\n${nested}`), 20);
  assert.equal(await sizeOf('sizeof(struct table)', `${stamp}\n${nested}`), 72);
  assert.equal(await sizeOf('sizeof(union u)', 'union u { char bytes[12]; uint64_t word; };'), 16);
  // a variable of the struct type
  assert.equal(await sizeOf('sizeof(st)', `${stamp}\nstatic struct stamp st;`), 16);
  // a typedef that reuses the tag's name is one definition, by either spelling
  const sameName = 'typedef struct sb { char magic[8]; uint64_t bytenr; } sb;';
  assert.equal(await sizeOf('sizeof(sb)', sameName), 16);
  assert.equal(await sizeOf('sizeof(struct sb)', sameName), 16);
});

test('sizeof a C++ class: member functions, static members and access specifiers take no room', async () => {
  const cls = 'class Label {\n public:\n  uint64_t size() const { return size_; }\n  static int count;\n private:\n  uint64_t size_;\n  char uuid[37];\n};';
  assert.equal(await sizeOf('sizeof(Label)', cls, 'cpp'), 48);
});

test('sizeof a struct whose layout attributes, bit-fields, bases or virtual functions could change it is not guessed', async () => {
  assert.equal(await sizeOf('sizeof(struct a)', 'struct a { char c[100]; } __attribute__((aligned(4096)));'), undefined);
  assert.equal(await sizeOf('sizeof(struct p)', 'struct p { char c; uint64_t v; } __attribute__((packed));'), undefined);
  assert.equal(await sizeOf('sizeof(struct b)', 'struct b { unsigned flag : 1; uint32_t v; };'), undefined);
  assert.equal(await sizeOf('sizeof(D)', 'struct B { int x; };\nstruct D : B { int y; };', 'cpp'), undefined);
  assert.equal(await sizeOf('sizeof(V)', 'struct V { virtual ~V(); int y; };', 'cpp'), undefined);
  assert.equal(await sizeOf('sizeof(struct m)', 'struct m { struct unknown_t u; };'), undefined);
  // two definitions under #ifdef: no guess
  assert.equal(await sizeOf('sizeof(struct two)', '#ifdef BIG\nstruct two { char c[8192]; };\n#else\nstruct two { char c[16]; };\n#endif'), undefined);
});

const LABEL_WRITE = (decl: string, pre = 'struct label { char magic[16]; uint64_t size; };') => `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
${pre}
int stamp(const char *path)
{
	int fd = open(path, O_RDWR | O_DIRECT);
	${decl}
	return pwrite(fd, &lbl, sizeof(lbl), 0) < 0;
}
`;

test('the address of a struct variable is a buffer that is not page-aligned: ZDIO001 and ZDIO002 on the write', async () => {
  const text = LABEL_WRITE('struct label lbl = { "zdio", 0 };');
  const result = await analyzeText(text, 'c', DEFAULT_SETTINGS, { fileName: 'label.c' });
  const rules = result.findings.map((f) => f.ruleId).sort();
  assert.deepEqual(rules, ['ZDIO001', 'ZDIO002']);
  assert.match(result.findings.find((f) => f.ruleId === 'ZDIO001')!.message, /buffer from variable struct label lbl may not be page-aligned/);
  assert.match(result.findings.find((f) => f.ruleId === 'ZDIO002')!.message, /length 24 \(sizeof\(lbl\)\)/);
});

test('a struct variable aligned to the page, by its declaration or by its type, is no ZDIO001', async () => {
  for (const [decl, pre] of [
    ['struct label lbl __attribute__((aligned(4096)));', undefined],
    ['struct label lbl;', 'struct label { char magic[16]; uint64_t size; } __attribute__((aligned(4096)));'],
    ['struct label lbl;', 'struct label { _Alignas(4096) char magic[4096]; };'],
  ] as const) {
    const text = LABEL_WRITE(decl, pre);
    const result = await analyzeText(text, 'c', DEFAULT_SETTINGS, { fileName: 'label.c' });
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'ZDIO001'), [], `no ZDIO001 with:\n${text}`);
  }
});

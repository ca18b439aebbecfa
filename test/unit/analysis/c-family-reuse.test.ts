// The editor's edit-by-edit extraction (c-family-reuse.ts): results for unchanged functions are reused,
// and every edit that can change another function's result makes it re-evaluate. Each case checks the
// reusing analysis against a from-scratch analysis of the same tree, and the finding that must change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Edit, type Tree } from 'web-tree-sitter';
import { analyzeTree } from '../../../src/core/analysis/analyze';
import { reuseStats } from '../../../src/core/analysis/languages/c-family-reuse';
import { parse } from '../../../src/core/analysis/parse';
import { DEFAULT_SETTINGS, type AnalysisResult, type Language } from '../../../src/core/types';
import { inFull } from '../../support/told';

function position(text: string, index: number): { row: number; column: number } {
  const before = text.slice(0, index);
  return { row: before.split('\n').length - 1, column: index - (before.lastIndexOf('\n') + 1) };
}

/** A document kept the way the diagnostics controller keeps it: a tree, edited and re-parsed per change. */
class Doc {
  private constructor(public text: string, private tree: Tree, readonly language: Language) {}

  static async open(text: string, language: Language = 'c'): Promise<{ doc: Doc; result: AnalysisResult }> {
    const tree = await parse(language, text);
    const doc = new Doc(text, tree, language);
    return { doc, result: analyzeTree(tree, text, language, DEFAULT_SETTINGS, { incremental: {} }) };
  }

  /** Replaces the first `find` (after `after`, if given) and re-analyses; also returns a from-scratch analysis of the same tree. */
  async replace(find: string, by: string, after?: string): Promise<{ reusing: AnalysisResult; fresh: AnalysisResult }> {
    const from = after === undefined ? 0 : this.text.indexOf(after);
    const at = this.text.indexOf(find, from);
    assert.ok(from >= 0 && at >= 0, `${find} not found`);
    const old = this.text;
    this.text = old.slice(0, at) + by + old.slice(at + find.length);
    this.tree.edit(new Edit({
      startIndex: at, oldEndIndex: at + find.length, newEndIndex: at + by.length,
      startPosition: position(old, at), oldEndPosition: position(old, at + find.length), newEndPosition: position(this.text, at + by.length),
    }));
    const next = await parse(this.language, this.text, this.tree);
    const reusing = analyzeTree(next, this.text, this.language, DEFAULT_SETTINGS, { incremental: { previousTree: this.tree } });
    const fresh = analyzeTree(next, this.text, this.language, DEFAULT_SETTINGS);
    this.tree.delete();
    this.tree = next;
    return { reusing, fresh };
  }

  close(): void { this.tree.delete(); }
}

const rules = (r: AnalysisResult): string[] => r.findings.map((f) => `${f.range.start.line}:${f.ruleId}`);

const MANY = [
  '#define _GNU_SOURCE',
  '#include <fcntl.h>',
  '#define LEN 196608',
  ...Array.from({ length: 6 }, (_, i) => [
    `static int copy_${i}(int a, int b)`,
    '{',
    '\tloff_t off = 0;',
    '\treturn copy_file_range(a, &off, b, NULL, LEN, 0) < 0;',
    '}',
  ].join('\n')),
  '',
].join('\n');

test('an edit inside one function re-evaluates only that function; the others are reused and moved', async () => {
  const { doc, result } = await Doc.open(MANY);
  assert.equal(result.findings.filter((f) => f.ruleId === 'ZDIO010').length, 6);
  const before = { ...reuseStats };
  // Fix the length in copy_3 only; then insert a line in copy_1, which moves everything below it.
  let r = await doc.replace('LEN, 0)', '131072, 0)', 'copy_3');
  assert.deepEqual(r.reusing, r.fresh);
  assert.equal(r.reusing.findings.filter((f) => f.ruleId === 'ZDIO010').length, 5);
  assert.equal(reuseStats.reused - before.reused, 5);
  assert.equal(reuseStats.evaluated - before.evaluated, 1);
  r = await doc.replace('\treturn', '\tb += 0;\n\treturn', 'copy_1');
  assert.deepEqual(r.reusing, r.fresh);
  assert.equal(reuseStats.reused - before.reused, 10);
  assert.equal(r.reusing.findings.at(-1)!.range.start.line, result.findings.at(-1)!.range.start.line + 1);
  doc.close();
});

test('editing a #define (outside any function) re-extracts the whole file', async () => {
  const { doc } = await Doc.open(MANY);
  const fallbacks = reuseStats.fallbacks;
  const r = await doc.replace('196608', '262144');
  assert.deepEqual(r.reusing, r.fresh);
  assert.equal(r.reusing.findings.filter((f) => f.ruleId === 'ZDIO010').length, 0);
  assert.equal(reuseStats.fallbacks, fallbacks + 1);
  doc.close();
});

const HELPER = [
  '#define _GNU_SOURCE',
  '#include <fcntl.h>',
  '#include <unistd.h>',
  'static ssize_t put(int fd, const char *buf)',
  '{',
  '\treturn pwrite(fd, buf, 100, 0);',
  '}',
  'int first(const char *p, const char *buf)',
  '{',
  '\tint fd = open(p, O_WRONLY | O_DIRECT);',
  '\treturn put(fd, buf);',
  '}',
  'int second(const char *p, const char *buf)',
  '{',
  '\tint fd = open(p, O_WRONLY);',
  '\treturn put(fd, buf);',
  '}',
  '',
].join('\n');

test('a caller edited to pass an O_DIRECT descriptor changes the finding inside the cached helper', async () => {
  const { doc, result } = await Doc.open(HELPER);
  // put() gets an O_DIRECT descriptor from first() only: its pwrite is an O_DIRECT write on that call.
  const onFirst = result.findings.filter((f) => f.range.start.line === 5);
  assert.deepEqual(onFirst.map((f) => f.ruleId), ['ZDIO002']);
  assert.match(inFull(onFirst[0]!), /\(on the O_DIRECT descriptor a call passes to put\(\)\)$/);
  assert.deepEqual(onFirst[0]!.related?.map((r) => r.range.start.line + 1), [11], 'the call in first()');
  // second() passes one too: now every call does, and the finding is the helper's own
  const r = await doc.replace('O_WRONLY);', 'O_WRONLY | O_DIRECT);', 'second');
  assert.deepEqual(r.reusing, r.fresh);
  const own = r.reusing.findings.filter((f) => f.range.start.line === 5);
  assert.deepEqual(own.map((f) => f.ruleId), ['ZDIO002']);
  assert.doesNotMatch(own[0]!.message, /passed to put/);
  // first() no longer does: only second()'s call is named
  const swapped = await doc.replace('O_WRONLY | O_DIRECT);', 'O_WRONLY);', 'first');
  assert.deepEqual(swapped.reusing, swapped.fresh);
  assert.deepEqual(swapped.reusing.findings.find((f) => f.range.start.line === 5)!.related?.map((r) => r.range.start.line + 1), [16]);
  // and no caller does: the helper's write is no O_DIRECT site at all
  const none = await doc.replace('O_WRONLY | O_DIRECT);', 'O_WRONLY);', 'second');
  assert.deepEqual(none.reusing, none.fresh);
  assert.deepEqual(rules(none.reusing).filter((x) => x.startsWith('5:')), []);
  doc.close();
});

const GLOBAL = [
  '#define _GNU_SOURCE',
  '#include <fcntl.h>',
  'static long chunk = 196608;',
  'int copy(int a, int b)',
  '{',
  '\treturn copy_file_range(a, NULL, b, NULL, chunk, 0) < 0;',
  '}',
  'void tune(void)',
  '{',
  '\tint unused = 0;',
  '}',
  '',
].join('\n');

test('an assignment to a global added in another function makes the cached length unknown', async () => {
  const { doc, result } = await Doc.open(GLOBAL);
  // A global nobody assigns is a constant: 196608 is not a multiple of 131072.
  assert.ok(rules(result).includes('5:ZDIO010'));
  const r = await doc.replace('int unused = 0;', 'chunk = 262144;', 'tune');
  assert.deepEqual(r.reusing, r.fresh);
  assert.ok(!rules(r.reusing).includes('5:ZDIO010'), rules(r.reusing).join(' '));
  const back = await doc.replace('chunk = 262144;', 'int unused = 0;', 'tune');
  assert.deepEqual(back.reusing, back.fresh);
  assert.ok(rules(back.reusing).includes('5:ZDIO010'));
  doc.close();
});

const CONSTRUCTOR = [
  '#include <fcntl.h>',
  '#include <unistd.h>',
  'class Log {',
  '  int fd_;',
  '  long len_;',
  '  char *buf_;',
  ' public:',
  '  Log(const char *p);',
  '  long put();',
  '};',
  'Log::Log(const char *p) : fd_(::open(p, O_RDWR | O_DIRECT)), len_(8192), buf_(static_cast<char *>(aligned_alloc(4096, 8192))) {}',
  'long Log::put() { return ::pwrite(fd_, buf_, 8192, 0); }',
  '',
].join('\n');

test('C++: editing a constructor initializer list re-evaluates the methods that read the member', async () => {
  const { doc, result } = await Doc.open(CONSTRUCTOR, 'cpp');
  const bufferFindings = (r: AnalysisResult): string[] => r.findings.filter((f) => /buffer/.test(f.message)).map((f) => `${f.range.start.line}:${f.ruleId}`);
  assert.deepEqual(bufferFindings(result), []);
  // The buffer's alignment comes from the initializer list; the finding's ranges all lie in put().
  const r = await doc.replace('aligned_alloc(4096', 'aligned_alloc(512');
  assert.deepEqual(r.reusing, r.fresh);
  assert.deepEqual(bufferFindings(r.reusing), ['11:ZDIO001']);
  doc.close();
});

test('a file whose analysis met a recursion guard is not reused (the result could depend on evaluation order)', async () => {
  const recursive = [
    '#define _GNU_SOURCE',
    '#include <fcntl.h>',
    '#include <unistd.h>',
    'static int again(int fd) { char b[4]; read(fd, b, 4); return again(fd); }',
    'int main(int c, char **v) { int fd = open(v[1], O_RDWR | O_DIRECT); again(fd); return copy_file_range(fd, 0, fd, 0, 100, 0); }',
    '',
  ].join('\n');
  const { doc } = await Doc.open(recursive);
  const plans = reuseStats.plans;
  const r = await doc.replace('100, 0)', '4096, 0)');
  assert.deepEqual(r.reusing, r.fresh);
  assert.equal(reuseStats.plans, plans);
  doc.close();
});

test('a line index moved past an edit equals one built from scratch', async () => {
  const { LineIndex } = await import('../../../src/core/analysis/languages/common');
  let seed = 7;
  const random = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  let text = Array.from({ length: 300 }, (_, i) => `line ${i}${i % 7 === 0 ? '\r' : ''}`).join('\n');
  let index = LineIndex.of(text);
  index.lineCount;  // built: only a built index is moved
  for (let i = 0; i < 200; i++) {
    const at = random(text.length + 1);
    const end = Math.min(text.length, at + random(40));
    const insert = ['', 'x', '\n', 'a\nb\n', '\r\n', 'long line without a break'][random(6)]!;
    text = text.slice(0, at) + insert + text.slice(end);
    index = LineIndex.afterEdit(index, text);
    const fresh = new LineIndex(text);
    assert.equal(index.lineCount, fresh.lineCount, `edit ${i}`);
    for (let line = 0; line < fresh.lineCount; line++) {
      assert.equal(index.offsetAt({ line, column: 0 }), fresh.offsetAt({ line, column: 0 }), `edit ${i}, line ${line}`);
    }
  }
});

test('an edit inside a helper whose returned descriptor or buffer another function uses re-checks that function', async () => {
  const code = [
    '#include <fcntl.h>', '#include <stdlib.h>', '#include <unistd.h>',
    'static int open_log(const char *p)', '{', '\tint fd = open(p, O_WRONLY | O_DIRECT);', '\treturn fd;', '}',
    'static char *block(void)', '{', '\treturn malloc(4096);', '}',
    'int append(const char *p)', '{', '\tint fd = open_log(p);', '\tchar *b = block();', '\treturn write(fd, b, 4096) < 0;', '}', '',
  ].join('\n');
  const { doc, result } = await Doc.open(code);
  try {
    assert.deepEqual(rules(result), ['16:ZDIO001']);
    // the buffer helper now returns a page-aligned block: the finding in append() goes
    let step = await doc.replace('malloc(4096)', 'aligned_alloc(4096, 4096)');
    assert.deepEqual(rules(step.reusing), rules(step.fresh));
    assert.deepEqual(rules(step.reusing).filter((r) => r.endsWith('ZDIO001')), []);
    // back to malloc, then the descriptor helper stops returning its descriptor: no O_DIRECT write is left
    step = await doc.replace('aligned_alloc(4096, 4096)', 'malloc(4096)');
    assert.deepEqual(rules(step.reusing), ['16:ZDIO001']);
    step = await doc.replace('\treturn fd;', '\treturn -1;');
    assert.deepEqual(rules(step.reusing), rules(step.fresh));
    assert.deepEqual(rules(step.reusing), []);
  } finally {
    doc.close();
  }
});

// ZDIO012's quick fix: an unchecked copy_file_range (or one whose failure only ends the program) becomes a call
// of copy_file_range_fully(), a helper the fix adds above the function. It has copy_file_range's arguments and
// result, copies the whole range and falls back to read/write. Each fixed text is re-analysed: the finding is
// gone and nothing else appears. test:samples compiles the fixed fixtures with gcc and g++ -Werror.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { applyEdits } from '../../../src/core/analysis/fixes';
import { DEFAULT_SETTINGS, type Finding, type Fix, type Language } from '../../../src/core/types';

const HEAD = '#define _GNU_SOURCE\n#include <fcntl.h>\n#include <stdio.h>\n#include <unistd.h>\n';

async function zdio012(code: string, language: Language = 'c'): Promise<Finding[]> {
  return (await analyzeText(code, language, DEFAULT_SETTINGS)).findings.filter((f) => f.ruleId === 'ZDIO012');
}

function fullCopy(f: Finding): Fix | undefined {
  return f.fixes.find((x) => x.title.startsWith('Copy the whole range'));
}

async function rulesAfter(text: string, language: Language = 'c'): Promise<string[]> {
  return (await analyzeText(text, language, DEFAULT_SETTINGS)).findings.map((f) => `${f.ruleId}:${f.range.start.line}`);
}

test('a copy that only reports its failure: the helper goes above the function, after the includes, and the call is renamed', async () => {
  const code = `${HEAD}\n/* Copies in to out. */\nint copy(int in, int out, size_t n)\n{\n\tif (copy_file_range(in, NULL, out, NULL, n, 0) < 0) {\n\t\tperror("copy_file_range");\n\t\treturn 1;\n\t}\n\treturn 0;\n}\n`;
  const [finding] = await zdio012(code);
  assert.ok(finding);
  const fix = fullCopy(finding);
  assert.ok(fix, finding.fixes.map((x) => x.title).join('; '));
  const text = applyEdits(code, fix.edits);
  assert.match(text, /^#define _GNU_SOURCE\n#include <errno\.h>\n#include <sys\/types\.h>\n#include <fcntl\.h>/, 'the missing headers, after the feature-test macro, before the first include');
  const helper = text.indexOf('static ssize_t copy_file_range_fully(');
  assert.ok(helper > text.indexOf('#include <unistd.h>') && helper < text.indexOf('/* Copies in to out. */'), 'between the includes and the function\'s comment');
  assert.match(text, /\tif \(copy_file_range_fully\(in, NULL, out, NULL, n, 0\) < 0\) \{/);
  assert.match(text, /\n\tsize_t done = 0;\n/, 'indented with the file\'s tabs');
  assert.deepEqual(await rulesAfter(text), [], 'no finding left, none added (the helper checks its own result)');
});

test('a dropped result at explicit offsets: the range finding stays on the renamed call, with the same values', async () => {
  const code = `${HEAD}\nvoid append(int in, int out, loff_t *from)\n{\n    copy_file_range(in, from, out, NULL, 1000, 0);\n}\n`;
  const before = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  const zdio010 = before.findings.find((f) => f.ruleId === 'ZDIO010');
  assert.ok(zdio010);
  const fix = fullCopy(before.findings.find((f) => f.ruleId === 'ZDIO012')!);
  assert.ok(fix);
  const text = applyEdits(code, fix.edits);
  assert.match(text, /\n {4}size_t done = 0;\n/, 'indented with the file\'s four spaces');
  const after = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  const line = text.split('\n').findIndex((l) => l.includes('copy_file_range_fully(in, from'));
  assert.deepEqual(after.findings.map((f) => `${f.ruleId}:${f.range.start.line}`), [`ZDIO010:${line}`], 'ZDIO012 gone, ZDIO010 kept where the call is');
  assert.match(zdio010.message, /copied, not cloned \(EAGAIN on 2\.3\.0 with Direct I\/O\)$/);
  assert.match(after.findings[0]!.message, /^copy_file_range len 1000 is not a multiple of recordsize 131072(?: [^:]*)?: copied, not cloned$/, 'the same values');
  assert.match(after.findings[0]!.detail!, /fails with EAGAIN \(openzfs#16958.*Where the kernel refuses, copy_file_range_fully\(\) copies the bytes with read\/write itself/,
    'the helper\'s own fallback is what copies where the kernel refuses');
  const callSite = after.sites.find((s) => s.range.start.line === line);
  assert.equal(callSite?.callee, 'copy_file_range_fully', 'the helper\'s call is a copy_file_range site');
});

test('a second unchecked copy in the same file calls the helper the first fix added, without adding it again', async () => {
  const code = `${HEAD}\nvoid a(int in, int out, size_t n)\n{\n    copy_file_range(in, NULL, out, NULL, n, 0);\n}\n\nvoid b(int in, int out, size_t n)\n{\n    copy_file_range(in, NULL, out, NULL, n, 0);\n}\n`;
  const first = fullCopy((await zdio012(code))[0]!)!;
  const once = applyEdits(code, first.edits);
  const [left, ...more] = await zdio012(once);
  assert.ok(left && !more.length, 'the other call is still unchecked');
  const second = fullCopy(left)!;
  assert.equal(second.edits.length, 1, 'only the rename');
  const twice = applyEdits(once, second.edits);
  assert.equal(twice.split('static ssize_t copy_file_range_fully(').length, 2, 'one helper');
  assert.deepEqual(await rulesAfter(twice), []);
});

test('C++: ::copy_file_range in a member function keeps its ::, the helper goes above the namespace, <cerrno> is added', async () => {
  const code = '#include <fcntl.h>\n#include <unistd.h>\n#include <cstdio>\n\nnamespace store {\nstruct Snapshot {\n  int fd;\n  bool copy_to(int out, std::size_t n) const {\n    if (::copy_file_range(fd, nullptr, out, nullptr, n, 0) < 0) { std::perror("cfr"); return false; }\n    return true;\n  }\n};\n}  // namespace store\n';
  const fix = fullCopy((await zdio012(code, 'cpp'))[0]!)!;
  assert.ok(fix);
  const text = applyEdits(code, fix.edits);
  assert.match(text, /^#include <cerrno>\n#include <sys\/types\.h>\n#include <fcntl\.h>/);
  assert.ok(text.indexOf('static ssize_t copy_file_range_fully(') < text.indexOf('namespace store {'));
  assert.match(text, /if \(::copy_file_range_fully\(fd, nullptr, out, nullptr, n, 0\) < 0\)/);
  assert.deepEqual(await rulesAfter(text, 'cpp'), []);
});

test('no full-copy fix where it would not help or not be ours to write', async () => {
  const cases: [string, string, Language][] = [
    ['O_DIRECT descriptors (the fallback\'s stack buffer is not aligned)',
      `${HEAD}\nvoid f(const char *a, const char *b, size_t n)\n{\n    int in = open(a, O_RDONLY | O_DIRECT);\n    int out = open(b, O_WRONLY | O_DIRECT);\n    copy_file_range(in, NULL, out, NULL, n, 0);\n}\n`, 'c'],
    ['the raw system call', `${HEAD}#include <sys/syscall.h>\n\nvoid f(int in, int out, size_t n)\n{\n    syscall(SYS_copy_file_range, in, NULL, out, NULL, n, 0);\n}\n`, 'c'],
    ['the name already means something else in the file',
      `${HEAD}\nint copy_file_range_fully;\n\nvoid f(int in, int out, size_t n)\n{\n    copy_file_range(in, NULL, out, NULL, n, 0);\n}\n`, 'c'],
    ['Python', 'import os\n\ndef f(a, b, n):\n    os.copy_file_range(a, b, n)\n', 'python'],
  ];
  for (const [what, code, language] of cases) {
    const found = await zdio012(code, language);
    assert.ok(found.length, `${what}: ZDIO012 is reported`);
    for (const f of found) assert.equal(fullCopy(f), undefined, `${what}: no full-copy fix`);
  }
});

test('Windows line breaks are kept in the added helper', async () => {
  const code = `${HEAD}\nvoid f(int in, int out, size_t n)\n{\n    copy_file_range(in, NULL, out, NULL, n, 0);\n}\n`.replace(/\n/g, '\r\n');
  const text = applyEdits(code, fullCopy((await zdio012(code))[0]!)!.edits);
  assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
  assert.deepEqual(await rulesAfter(text), []);
});

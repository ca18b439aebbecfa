import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExcludeMatcher, InvalidGlobError, globProblem } from '../../../src/core/analysis/scan';

const m = (glob: string, p: string) => new ExcludeMatcher([glob]).matches(p);

test('glob: *, ?, **, braces and classes', () => {
  assert.ok(m('dir/*.c', 'dir/a.c'));
  assert.ok(!m('dir/*.c', 'dir/x/a.c'), '* does not cross /');
  assert.ok(m('**/*.c', 'a.c') && m('**/*.c', 'x/y/a.c'));
  assert.ok(m('src/**', 'src/a/b.c') && !m('src/**', 'srcx/a.c'));
  assert.ok(m('a/**/b.c', 'a/b.c') && m('a/**/b.c', 'a/x/y/b.c') && !m('a/**/b.c', 'a/x/yb.c'));
  assert.ok(m('file?.rs', 'file1.rs') && !m('file?.rs', 'file10.rs'));
  assert.ok(m('*.{c,h}', 'x.h') && !m('*.{c,h}', 'x.cc'));
  assert.ok(m('[ab]*.go', 'b1.go') && !m('[!ab]*.go', 'b1.go') && m('[!ab]*.go', 'c1.go'));
  assert.ok(m('a.b', 'a.b') && !m('a.b', 'axb'), 'dots are literal');
  assert.ok(m('(x)+.py', '(x)+.py') && !m('(x)+.py', 'xx.py'), 'regex metacharacters are literal');
  assert.ok(m('*', '.hidden'), 'dot files are names like any other');
});

test('exclude: name patterns match anywhere, dir/** prunes the directory itself', () => {
  const ex = new ExcludeMatcher(['vendor', 'third_party/**', '*_test.go', 'gen/*.c', '**/.git/**']);
  assert.ok(ex.matches('vendor') && ex.matches('a/vendor/b.c'));
  assert.ok(ex.matches('third_party') && ex.matches('third_party/x/y.c') && !ex.matches('src/third_party/y.c'));
  assert.ok(ex.matches('pkg/io_test.go') && !ex.matches('pkg/io.go'));
  assert.ok(ex.matches('gen/a.c') && !ex.matches('gen/sub/a.c'));
  assert.ok(ex.matches('./vendor/x.c'), 'a leading ./ is ignored');
  assert.ok(ex.matches('.git') && ex.matches('a/.git') && ex.matches('a/.git/objects/x.c') && !ex.matches('a/.gitignore'));
  assert.ok(ex.matches('src\\vendor\\x.c'), 'backslash separators');
  assert.ok(!new ExcludeMatcher([]).matches('anything'));
});

test('exclude: matching never backtracks, whatever the pattern and the name', { timeout: 60_000 }, () => {
  // With a backtracking regex these took minutes (the number of ways to split the name grows like n^6).
  const name = 'a'.repeat(120);
  const patterns = ['*a*a*a*a*a*a*b', 'x/*a*a*a*a*a*a*b', '**/*a*a*a*a*a*a*b/**', '**/a*/**/a*/**/a*/**/b', '*(a|a)*(a|a)*b'];
  const deep = Array.from({ length: 400 }, () => 'a').join('/');
  let matched = 0;
  for (const p of patterns) {
    const ex = new ExcludeMatcher([p]);
    for (const path of [name, `x/${name}`, `${name}/${name}`, deep]) if (ex.matches(path)) matched++;
  }
  assert.equal(matched, 0);
});

test('exclude: an invalid pattern is an error that names it', () => {
  assert.throws(() => new ExcludeMatcher(['ok/**', '[z-a]']), (e: unknown) =>
    e instanceof InvalidGlobError && e.pattern === '[z-a]' && /Range out of order/.test(e.message) && e.message.includes("'[z-a]'"));
  assert.match(globProblem('!vendor') ?? '', /negation/);
  assert.equal(globProblem('**/node_modules/**'), undefined);
  assert.equal(globProblem('{a,b'), undefined, 'an unclosed brace is a literal, as in the shell');
});

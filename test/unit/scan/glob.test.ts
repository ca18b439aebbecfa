import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExcludeMatcher, globToRegExp } from '../../../src/core/analysis/scan';

test('glob: *, ?, **, braces and classes', () => {
  const m = (glob: string, p: string) => globToRegExp(glob).test(p);
  assert.ok(m('*.c', 'a.c'));
  assert.ok(!m('*.c', 'dir/a.c'), '* does not cross /');
  assert.ok(m('**/*.c', 'a.c') && m('**/*.c', 'x/y/a.c'));
  assert.ok(m('src/**', 'src/a/b.c') && !m('src/**', 'srcx/a.c'));
  assert.ok(m('a/**/b.c', 'a/b.c') && m('a/**/b.c', 'a/x/y/b.c') && !m('a/**/b.c', 'a/x/yb.c'));
  assert.ok(m('file?.rs', 'file1.rs') && !m('file?.rs', 'file10.rs'));
  assert.ok(m('*.{c,h}', 'x.h') && !m('*.{c,h}', 'x.cc'));
  assert.ok(m('[ab]*.go', 'b1.go') && !m('[!ab]*.go', 'b1.go'));
  assert.ok(m('a.b', 'a.b') && !m('a.b', 'axb'), 'dots are literal');
  assert.ok(m('(x)+.py', '(x)+.py'), 'regex metacharacters are literal');
});

test('exclude: name patterns match anywhere, dir/** prunes the directory itself', () => {
  const ex = new ExcludeMatcher(['vendor', 'third_party/**', '*_test.go', 'gen/*.c']);
  assert.ok(ex.matches('vendor') && ex.matches('a/vendor/b.c'));
  assert.ok(ex.matches('third_party') && ex.matches('third_party/x/y.c') && !ex.matches('src/third_party/y.c'));
  assert.ok(ex.matches('pkg/io_test.go') && !ex.matches('pkg/io.go'));
  assert.ok(ex.matches('gen/a.c') && !ex.matches('gen/sub/a.c'));
  assert.ok(ex.matches('./vendor/x.c'), 'a leading ./ is ignored');
  assert.ok(!new ExcludeMatcher([]).matches('anything'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, loadedLanguages } from '../../../src/core/analysis/parse';
import { LANGUAGES } from '../../../src/core/types';
import { languageFromShebang, mayBeScript } from '../../../src/core/analysis/languages/index';

test('every grammar loads lazily and parses a call', async () => {
  assert.deepEqual(loadedLanguages(), [], 'no grammar is loaded before the first parse');
  const samples: Record<string, string> = {
    c: 'void f(void){ copy_file_range(a, 0, b, 0, 4096, 0); }',
    cpp: 'void f(){ ::copy_file_range(a, nullptr, b, nullptr, 4096, 0); }',
    rust: 'fn f(){ unsafe { libc::copy_file_range(a, p, b, q, 4096, 0); } }',
    go: 'package p\nfunc f(){ unix.CopyFileRange(a, nil, b, nil, 4096, 0) }',
    python: 'os.copy_file_range(a, b, 4096)\n',
  };
  for (const lang of LANGUAGES) {
    const tree = await parse(lang, samples[lang]!);
    assert.equal(tree.rootNode.hasError, false, `${lang} parses without errors`);
    assert.match(tree.rootNode.text, /copy_file_range|CopyFileRange/);
    tree.delete();
  }
  assert.deepEqual([...loadedLanguages()].sort(), [...LANGUAGES].sort());
});

test('columns are UTF-16 code units, as VS Code expects', async () => {
  const tree = await parse('c', 'int x; char s[] = "é"; int y = copy_file_range(0,0,0,0,1,0);');
  const idx = tree.rootNode.text.indexOf('copy_file_range');
  const call = tree.rootNode.descendantsOfType('call_expression')[0]!;
  assert.equal(call.startPosition.column, idx);
  tree.delete();
});

test('a #! line names Python scripts without an extension, and nothing else', () => {
  for (const line of ['#!/usr/bin/env python3', '#!/usr/bin/python', '#!/usr/bin/python3.11 -u', '#! /usr/local/bin/python3', '#!/usr/bin/env python'])
    assert.equal(languageFromShebang(line), 'python', line);
  for (const line of ['#!/bin/sh', '#!/usr/bin/env bash', '#!/usr/bin/env pythonic', 'import os', '', '#!/usr/bin/env -S python3'])
    assert.equal(languageFromShebang(line), undefined, line);
  assert.equal(mayBeScript('dio-probe'), true);
  assert.equal(mayBeScript('tools/dio-probe'), true);
  assert.equal(mayBeScript('probe.sh'), false);
  assert.equal(mayBeScript('.bashrc'), false);
});

// Python: a wrapper that passes its `**kwargs` on to os.copy_file_range (or os.pread) gets the keywords
// of each of its calls there, so an offset a caller names by keyword is judged at that call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

async function check(text: string) {
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  return r;
}

test('python: keywords a method and a function forward with **kwargs are each call\'s', async () => {
  const text = `import os

RECORD = 128 * 1024


class Copier:
    def __init__(self, src, dst):
        self.src = src
        self.dst = dst

    def copy(self, count, **kwargs):
        return os.copy_file_range(self.src, self.dst, count, **kwargs)  # => copy_file_range os.copy_file_range


def copy_range(src, dst, count, **kw):
    return os.copy_file_range(src, dst, count, **kw)  # => copy_file_range os.copy_file_range


def main(a, b):
    c = Copier(a, b)
    skip = 3
    n = c.copy(RECORD, offset_src=skip, offset_dst=0)  # => | ZDIO010
    n += c.copy(RECORD, offset_src=RECORD, offset_dst=2 * RECORD)
    n += c.copy(RECORD)
    n += copy_range(a, b, RECORD, offset_dst=4096)  # => | ZDIO010
    n += copy_range(a, b, 2 * RECORD, offset_src=0)
    return n
`;
  const r = await check(text);
  const line = text.split('\n').findIndex((l) => l.includes('offset_src=skip'));
  assert.match(r.findings.find((f) => f.range.start.line === line)!.message, /off_in 3/);
});

test('python: **kwargs the wrapper changes, or a keyword that is a named parameter, is not the callers\' keyword', async () => {
  await check(`import os

RECORD = 128 * 1024


def shifted(src, dst, count, **kwargs):
    kwargs["offset_src"] = 0
    return os.copy_file_range(src, dst, count, **kwargs)  # => copy_file_range os.copy_file_range


def named(src, dst, count, offset_src=0, **kwargs):
    return os.copy_file_range(src, dst, count, offset_src=RECORD, **kwargs)  # => copy_file_range os.copy_file_range


def passed_other(src, dst, count, **kwargs):
    extra = {"offset_dst": 0}
    return os.copy_file_range(src, dst, count, **extra)  # => copy_file_range os.copy_file_range


def main(a, b):
    n = shifted(a, b, RECORD, offset_src=3)
    n += named(a, b, RECORD, offset_src=3)
    n += passed_other(a, b, RECORD, offset_dst=5)
    return n
`);
});

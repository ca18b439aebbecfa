// Python: the first pass of a `while` or `for` loop. A variable the loop advances (`done += n`) is unknown on
// a later pass, but on the first one it still holds the value it had before the loop: a finding about
// that pass is about a real execution. Only sites every first pass reaches are judged so, and nothing
// is claimed about the passes after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { findingKeys } from './rust-go-python-helpers';
import { inFull } from '../../support/told';

const lineOf = (text: string, marker: string): number => text.split('\n').findIndex((l) => l.includes(marker)) + 1;

const extent = (calls: string) => `import os

def copy_extent(src_fd, dst_fd, offset, length):
    done = 0
    while done < length:
        n = os.copy_file_range(src_fd, dst_fd, length - done, offset + done, offset + done)
        if n == 0:
            break
        done += n
    return done

def copy_superblocks(src_fd, dst_fd):
${calls}
`;

test('python: a helper whose loop copies `length - done` from `done = 0`: the first pass copies what the call asks, judged at the call', async () => {
  const text = extent('    copy_extent(src_fd, dst_fd, 0, 128 * 1024)  # aligned\n    copy_extent(src_fd, dst_fd, 64 * 1024 * 1024, 4096)  # one page');
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS, { fileName: 'extent.py' });
  assert.deepEqual(findingKeys(r), [`${lineOf(text, '# one page')} ZDIO010`]);
  const f = r.findings[0]!;
  assert.match(f.message, /len 4096 is not a multiple of recordsize 131072/);
  assert.match(inFull(f), /copy_extent\(\), reaches os\.copy_file_range\(\) on the first pass of its loop/);
  assert.deepEqual({ srcOffset: f.derived.srcOffset, dstOffset: f.derived.dstOffset, length: f.derived.length },
    { srcOffset: 64 * 1024 * 1024, dstOffset: 64 * 1024 * 1024, length: 4096 });
  // the loop is one of the places that explain it
  assert.ok(f.related?.some((x) => x.range.start.line + 1 === lineOf(text, 'while done < length') && /first pass/.test(x.message)),
    JSON.stringify(f.related));
  // the site itself is one site, not two
  assert.equal(r.sites.filter((s) => s.kind === 'copy_file_range').length, 1);
});

test('python: a loop whose first pass is aligned stays quiet, whatever later passes copy', async () => {
  const text = extent('    copy_extent(src_fd, dst_fd, 0, 128 * 1024)\n    copy_extent(src_fd, dst_fd, 1024 * 1024, 256 * 1024)');
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS, { fileName: 'extent.py' });
  assert.deepEqual(findingKeys(r), []);
});

test('python: in the function itself, the first pass of `while done < 4096` copies 4096 bytes; a whole record does not report', async () => {
  const head = (size: string) => `import os

def copy_head(src, dst):
    done = 0
    while done < ${size}:
        n = os.copy_file_range(src, dst, ${size} - done, done, done)  # site
        if n == 0:
            break
        done += n
`;
  const r = await analyzeText(head('4096'), 'python', DEFAULT_SETTINGS, { fileName: 'head.py' });
  assert.deepEqual(findingKeys(r), [`${lineOf(head('4096'), '# site')} ZDIO010`]);
  assert.match(inFull(r.findings[0]!), /len 4096 .*is not a multiple of recordsize 131072.*\(on the first pass of the loop\)$/);
  assert.deepEqual(r.findings[0]!.fixes.filter((x) => !/^Suppress/.test(x.title)), [], 'no edit: it would change every pass');
  assert.deepEqual(findingKeys(await analyzeText(head('131072'), 'python', DEFAULT_SETTINGS, { fileName: 'head.py' })), []);
});

test('python: a site the first pass may skip, or reaches only on a branch, is not judged by the first pass', async () => {
  const skipped = `import os

def copy_sparse(src, dst, length, holes):
    done = 0
    while done < length:
        if done in holes:
            done += 131072
            continue
        n = os.copy_file_range(src, dst, length - done, done, done)
        done += n

def copy_branch(src, dst, length):
    done = 0
    while done < length:
        n = 131072
        if done:
            n = os.copy_file_range(src, dst, length - done, done, done)
            if n == 0:
                break
        done += n

def run(src, dst):
    copy_sparse(src, dst, 4096, set())
    copy_branch(src, dst, 4096)
`;
  const r = await analyzeText(skipped, 'python', DEFAULT_SETTINGS, { fileName: 'sparse.py' });
  assert.deepEqual(findingKeys(r), []);
});

test('python: a loop that cannot start, and the values of later passes, are not claimed', async () => {
  const text = `import mmap
import os

def never(src, dst):
    done = 4096
    while done < 4096:
        n = os.copy_file_range(src, dst, 5000 - done, done, done)  # never runs
        done += n

def stride(path):
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)
    record = mmap.mmap(-1, 131072)
    off = 0
    while off < 1 << 20:
        os.pwrite(fd, record, off)  # first pass at 0; later passes at unknown offsets
        off += 1000
`;
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS, { fileName: 'stride.py' });
  assert.deepEqual(findingKeys(r), []);
});

// `for` loops: the same first pass, from the values before the loop; the target holds the first item
// of a `range` known not to be empty, and is unknown otherwise.

test('python: a `for` loop whose first pass writes a length set before the loop and changed at the end of each pass', async () => {
  const text = `import mmap
import os

def write_blocks(path, blocks):
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)
    view = memoryview(mmap.mmap(-1, 1 << 20))
    size = 4096 + 512
    off = 0
    for b in blocks:
        os.pwrite(fd, view[:size], off)  # site
        off += size
        size = 131072
`;
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS, { fileName: 'blocks.py' });
  assert.deepEqual(findingKeys(r), [`${lineOf(text, '# site')} ZDIO002`]);
  const f = r.findings[0]!;
  assert.match(inFull(f), /length 4608 .*\(on the first pass of the loop\)$/);
  assert.ok(f.related?.some((x) => x.range.start.line + 1 === lineOf(text, 'for b in blocks') && /first pass/.test(x.message)), JSON.stringify(f.related));
  assert.equal(r.sites.filter((s) => s.kind === 'o_direct_io').length, 1, 'one site, not one per pass');
});

test('python: `for i in range(…)` starts at its first number when the range is not empty; an empty one has no first pass', async () => {
  const loop = (range: string) => `import mmap
import os

def stripes(path):
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)
    record = mmap.mmap(-1, 131072)
    for i in ${range}:
        os.pwrite(fd, record, i * 131072 + 512)  # site
`;
  for (const range of ['range(4)', 'range(0, 8, 2)']) {
    const r = await analyzeText(loop(range), 'python', DEFAULT_SETTINGS, { fileName: 'stripes.py' });
    assert.deepEqual(findingKeys(r), [`${lineOf(loop(range), '# site')} ZDIO003`], range);
    assert.match(r.findings[0]!.message, /offset 512/);
  }
  for (const range of ['range(0)', 'range(5, 1)', 'range(0, 8, -1)', '[]', 'range(n)', 'sorted(blocks)']) {
    const r = await analyzeText(loop(range), 'python', DEFAULT_SETTINGS, { fileName: 'stripes.py' });
    assert.deepEqual(findingKeys(r), [], `${range}: no first pass, or its item is unknown`);
  }
});

test('python: a `for` loop claims nothing about later passes, nor about a site the first pass may skip', async () => {
  const text = `import mmap
import os

def stride(path, items):
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)
    record = mmap.mmap(-1, 131072)
    off = 0
    for item in items:
        os.pwrite(fd, record, off)  # first pass at 0; later passes at unknown offsets
        off += 1000

def skipping(path, items):
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)
    record = mmap.mmap(-1, 131072)
    off = 512
    for item in items:
        if not item:
            off = 0
            continue
        os.pwrite(fd, record, off)
        off = 0
`;
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS, { fileName: 'stride.py' });
  assert.deepEqual(findingKeys(r), []);
  assert.equal(r.sites.filter((s) => s.kind === 'o_direct_io').length, 2);
});

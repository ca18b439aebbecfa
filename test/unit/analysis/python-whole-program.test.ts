// Python: values that reach a site through the parameters of the file's own functions and methods,
// judged at the call that writes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { findingKeys } from './rust-go-python-helpers';
import { inFull } from '../../support/told';

const lineOf = (text: string, marker: string): number => text.split('\n').findIndex((l) => l.includes(marker)) + 1;

test('python: a method writing through an O_DIRECT attribute is judged at each call, from a function that spells no site', async () => {
  const text = `import mmap
import os

class Blocks:
    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_DIRECT)

    def put(self, data, offset):
        return os.pwrite(self.fd, data, offset)

def fill(path):
    b = Blocks(path)
    b.put(b"y" * 10, 0)  # short
    page = mmap.mmap(-1, 4096)
    b.put(page, 4096)  # page
    big = mmap.mmap(-1, 131072)
    b.put(big, 131072)  # whole
`;
  const result = await analyzeText(text, 'python', DEFAULT_SETTINGS, { fileName: 'blocks.py' });
  const short = lineOf(text, '# short');
  // a bytes object of 10 bytes; a page at a page offset is below the recordsize; a whole record at a record offset is fine
  assert.deepEqual(findingKeys(result), [`${short} ZDIO001`, `${short} ZDIO002`, `${lineOf(text, '# page')} ZDIO004`].sort());
  assert.ok(result.findings.every((f) => inFull(f).includes('put()')), 'the finding names the method the value goes through');
});

test('python: a FICLONERANGE length the only caller passes is reported at that call; an aligned one nowhere', async () => {
  const text = `import fcntl
import struct

FICLONERANGE = 0x4020940d

def clone_head(src, dst, length):
    arg = struct.pack("qQQQ", src.fileno(), 0, length, 0)
    fcntl.ioctl(dst.fileno(), FICLONERANGE, arg)

def boot(src, dst):
    clone_head(src, dst, 512)  # sector
`;
  const result = await analyzeText(text, 'python', DEFAULT_SETTINGS, { fileName: 'clone.py' });
  assert.deepEqual(findingKeys(result), [`${lineOf(text, '# sector')} ZDIO020`]);
  assert.match(result.findings[0]!.message, /clone_head\(\)/);
  const aligned = await analyzeText(text.replace('512)', '131072)'), 'python', DEFAULT_SETTINGS, { fileName: 'clone.py' });
  assert.deepEqual(findingKeys(aligned), []);
});

test('python: the read size chosen with O_DIRECT on one branch is the size of the O_DIRECT read; not when the switch changes', async () => {
  const text = `import mmap
import os

def head(path, direct):
    if not direct:
        flags = os.O_RDONLY
        size = 4096
    else:
        flags = os.O_RDONLY | os.O_DIRECT
        size = 512
    fd = os.open(path, flags)
    buf = mmap.mmap(-1, 4096)
    os.preadv(fd, [memoryview(buf)[:size]], 0)  # read
`;
  const result = await analyzeText(text, 'python', DEFAULT_SETTINGS, { fileName: 'head.py' });
  assert.deepEqual(findingKeys(result), [`${lineOf(text, '# read')} ZDIO002`]);
  const flipped = text.replace('    fd = os.open', '    direct = False\n    fd = os.open');
  assert.deepEqual(findingKeys(await analyzeText(flipped, 'python', DEFAULT_SETTINGS, { fileName: 'head.py' })), []);
  const aligned = text.replace('size = 512', 'size = 8192');
  assert.deepEqual(findingKeys(await analyzeText(aligned, 'python', DEFAULT_SETTINGS, { fileName: 'head.py' })), []);
});

test('python: a copy_file_range helper whose callers pass different ranges is judged at each call', async () => {
  const text = `import os

def copy_at(src, dst, offset, length):
    n = os.copy_file_range(src, dst, length, offset, offset)
    if n == 0:
        raise EOFError()
    return n

def run(src, dst):
    copy_at(src, dst, 0, 131072)
    copy_at(src, dst, 131072, 1000)  # short
`;
  const result = await analyzeText(text, 'python', DEFAULT_SETTINGS, { fileName: 'copy_at.py' });
  assert.deepEqual(findingKeys(result), [`${lineOf(text, '# short')} ZDIO010`]);
  assert.match(result.findings[0]!.message, /len 1000 is not a multiple of recordsize 131072.*copy_at\(\)/);
});

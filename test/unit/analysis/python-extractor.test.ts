import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { pythonExtractor } from '../../../src/core/analysis/languages/python';
import { languageForFile } from '../../../src/core/analysis/languages/index';
import { DEFAULT_SETTINGS, checkFixture, extractFacts, factsAt, readFixture, siteKeys, valueOf } from './rust-go-python-helpers';
import { inFull } from '../../support/told';

test('python: O_DIRECT fixture gives exactly the annotated sites and ZDIO001-004 findings', async () => {
  const { text, facts, result } = await checkFixture('python', 'python/odirect.py');
  const read = factsAt(text, facts, 'os.read(fd, CHUNK)');
  assert.equal(read.buffer?.state, 'unaligned');
  assert.match(read.buffer!.origin, /allocates its own buffer/);
  assert.deepEqual([valueOf(read.length), read.constants.length?.name, read.direction], [131072, 'CHUNK', 'read']);
  const pread = factsAt(text, facts, 'os.pread(fd, ODD, PAGE + 1)');
  assert.deepEqual([valueOf(pread.length), valueOf(pread.offset)], [100_000, 4097]);
  const mm = factsAt(text, facts, 'os.preadv(fd, [m], 0)');
  assert.deepEqual([mm.buffer?.state, mm.buffer?.alignedToPage, valueOf(mm.length)], ['aligned', true, 131072]);
  const view = factsAt(text, facts, 'view[512:4608]');
  assert.deepEqual([view.buffer?.offset, valueOf(view.length)], [512, 4096], 'a memoryview slice keeps the mmap address plus 512');
  const copy = factsAt(text, facts, 'm[:PAGE]');
  assert.equal(copy.buffer?.state, 'unaligned', 'slicing the mmap itself copies into a new bytes object');
  const cls = factsAt(text, facts, 'os.pread(self.fd, self.BLOCK');
  assert.deepEqual([cls.fdODirect, valueOf(cls.length), cls.constants.length?.name], [true, 131072, 'BLOCK']);
  const helper = factsAt(text, facts, 'return os.read(fd, size)');
  // the size comes from the only caller: it is judged at that call (ZDIO002 there), not in the helper
  assert.equal(valueOf(helper.length), 'unknown');
  assert.equal(helper.params?.length?.name, 'size');
  // ODD also sizes a bytearray written elsewhere in the file: rounding it would change that write.
  const z2 = result.findings.find((f) => f.ruleId === 'ZDIO002' && f.message.includes('100000'));
  assert.ok(z2 && !z2.fixes.some((fx) => fx.title.includes('ODD')));
  assert.match(z2.manualFix!, /ODD is used elsewhere too/);
  const bound = result.findings.find((f) => f.ruleId === 'ZDIO002' && f.message.includes('view[:1000]'));
  assert.deepEqual(bound?.fixes[0]?.edits.map((e) => e.newText), ['4096'], 'the view of a 128 KiB mmap is rounded at its bound');
});

test('python: copy_file_range fixture, including the openzfs#16958 reproducer', async () => {
  const { text, facts, result } = await checkFixture('python', 'python/copy_file_range.py');
  const repro = factsAt(text, facts, 'os.copy_file_range(src, dst, 196608, 0, 262144)');
  assert.deepEqual([valueOf(repro.srcOffset), valueOf(repro.dstOffset), valueOf(repro.length)], [0, 262144, 196608]);
  assert.match(result.findings.find((f) => f.ruleId === 'ZDIO010')!.message, /len 196608 is not a multiple of recordsize 131072/);
  const kw = factsAt(text, facts, 'offset_src=2 * RECORD');
  assert.deepEqual([valueOf(kw.srcOffset), valueOf(kw.dstOffset), valueOf(kw.length)], [262144, 0, 131072]);
  const none = factsAt(text, facts, '    os.copy_file_range(src, dst, RECORD)  #');
  assert.deepEqual([valueOf(none.srcOffset), valueOf(none.dstOffset), none.resultHandled], ['unknown', 'unknown', false]);
  assert.equal(factsAt(text, facts, '65536').resultHandled, true, 'try/except OSError is an errno fallback');
  assert.equal(factsAt(text, facts, 'done = ').srcFdODirect, true);
});

test('python: FICLONE / FICLONERANGE fixture', async () => {
  const { text, facts } = await checkFixture('python', 'python/ficlone.py');
  const repro = factsAt(text, facts, 'ioctl(dst_fd, FICLONERANGE, arg)');
  assert.deepEqual([repro.ficloneVariant, valueOf(repro.srcOffset), valueOf(repro.length), valueOf(repro.dstOffset)], ['FICLONERANGE', 0, 196608, 262144]);
  assert.equal(factsAt(text, facts, 'fcntl.FICLONE').ficloneVariant, 'FICLONE');
  const aligned = factsAt(text, facts, 'REC, 2 * REC, 0');
  assert.deepEqual([valueOf(aligned.srcOffset), valueOf(aligned.length)], [131072, 262144]);
});

test('python: comments, strings, docstrings, definitions and lookalikes are not sites', async () => {
  const text = readFixture('python/not_sites.py');
  assert.deepEqual(siteKeys(await extractFacts('python', text)), []);
  assert.deepEqual((await analyzeText(text, 'python', DEFAULT_SETTINGS)).findings, []);
});

test('python: branches, loops and module-level descriptors', async () => {
  const code = `import os
FD = os.open("/data/x", os.O_RDONLY | os.O_DIRECT)

def reader(direct, n):
    flags = os.O_RDONLY
    if direct:
        flags |= os.O_DIRECT
    fd = os.open("/x", flags)
    off = 0
    while True:
        os.pread(fd, 4096, off)
        off += 100
    size = 4096
    if n:
        size = 10
    os.pread(fd, size, 0)

def uses_global():
    os.pread(FD, 512, 0)
`;
  const facts = await extractFacts('python', code);
  const keys = siteKeys(facts);
  assert.ok(keys.includes('8 o_direct_open os.open'), keys.join('; '));
  assert.equal(valueOf(factsAt(code, facts, 'os.pread(fd, 4096, off)').offset), 'unknown');
  assert.equal(valueOf(factsAt(code, facts, 'os.pread(fd, size, 0)').length), 'unknown');
  const g = factsAt(code, facts, 'os.pread(FD, 512, 0)');
  assert.deepEqual([g.fdODirect, valueOf(g.length)], [true, 512], 'a module-level O_DIRECT descriptor is known inside functions');
});

test('python: deeply nested code neither overflows the stack nor loses the site', async () => {
  const depth = 2000;
  const code = `import os\nx = ${'('.repeat(depth)}os.copy_file_range(a, b, 196608)${')'.repeat(depth)}\n`;
  const facts = await extractFacts('python', code);
  assert.deepEqual(facts.map((f) => f.site.kind), ['copy_file_range']);
  let nested = 'import os\ndef f(a):\n';
  for (let i = 0; i < 400; i++) nested += `${' '.repeat(i + 1)}if a > ${i}:\n`;
  nested += `${' '.repeat(401)}os.copy_file_range(a, 1, 4096)\n`;
  assert.equal((await extractFacts('python', nested)).length, 1);
});

test('python: registry wiring, extensions and prefilter', () => {
  assert.equal(languageForFile('tools/clone.py'), 'python');
  for (const f of ['python/odirect.py', 'python/copy_file_range.py', 'python/ficlone.py']) assert.match(readFixture(f), pythonExtractor.prefilter);
  assert.doesNotMatch('import os\nprint(os.getcwd())\n', pythonExtractor.prefilter);
});

test('python: fcntl F_SETFL, io.FileIO, opener= and star imports', async () => {
  const code = `import fcntl, io, os, mmap
from os import copy_file_range

def f(path):
    fd = os.open(path, os.O_RDONLY)
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_DIRECT)
    os.pread(fd, 4096, 0)
    raw = io.FileIO(fd, "r")
    raw.readinto(bytearray(4096))
    with open(path, "rb", buffering=0, opener=lambda p, fl: os.open(p, fl | os.O_DIRECT)) as g:
        g.readinto(memoryview(mmap.mmap(-1, 8192))[4096:])
    copy_file_range(fd, 3, 196608)
`;
  const facts = await extractFacts('python', code);
  assert.deepEqual(siteKeys(facts), [
    '10 o_direct_open os.open', '11 o_direct_io g.readinto', '12 copy_file_range copy_file_range',
    '6 o_direct_open fcntl.fcntl', '7 o_direct_io os.pread', '9 o_direct_io raw.readinto',
  ]);
  const view = factsAt(code, facts, 'g.readinto');
  assert.deepEqual([view.buffer?.state, view.buffer?.offset, valueOf(view.length)], ['aligned', 4096, 4096]);
  assert.equal(factsAt(code, facts, 'copy_file_range(fd').srcFdODirect, true);
  // \`from os import *\` brings os.open (shadowing the builtin) and copy_file_range.
  const star = 'from os import *\nfd = open("/x", O_RDONLY | O_DIRECT)\ncopy_file_range(fd, 1, 4096)\n';
  assert.deepEqual(siteKeys(await extractFacts('python', star)), ['2 o_direct_open open', '3 copy_file_range copy_file_range']);
});

test('python: FICLONE names from other modules, and ioctls that are not clones', async () => {
  const code = `import fcntl
from linux_consts import FICLONERANGE
import linux_consts as lc

def clone(src, dst):
    fcntl.ioctl(dst, lc.FICLONE, src)
    fcntl.ioctl(dst, FICLONERANGE, b"\\0" * 32)
    fcntl.ioctl(dst, 0x5401, 0)
`;
  const facts = await extractFacts('python', code);
  assert.deepEqual(facts.map((f) => [f.site.range.start.line + 1, f.ficloneVariant]), [[6, 'FICLONE'], [7, 'FICLONERANGE']]);
  const opaque = facts[1]!;
  assert.deepEqual([valueOf(opaque.srcOffset), valueOf(opaque.length), valueOf(opaque.dstOffset)], ['unknown', 'unknown', 'unknown'], 'an opaque argument derives nothing');
});

test('Python: values passed to helper functions and methods are judged per call, through chains, and reported at the call', async () => {
  const { text, result } = await checkFixture('python', 'python/helpers.py');
  const at = (marker: string, rule: string) => {
    const line = text.split('\n').findIndex((l) => l.includes(marker));
    const f = result.findings.find((x) => x.range.start.line === line && x.ruleId === rule);
    assert.ok(f, `${rule} on the line of ${marker}`);
    return f;
  };
  assert.match(inFull(at('write_chunk(fd, page, 512)', 'ZDIO003')), /offset 512 .*\(passed to write_chunk\(\), reaches os\.pwrite\(\)\)$/);
  assert.match(inFull(at('write_twice(fd, page, 1000)', 'ZDIO003')), /\(passed to write_twice\(\) → write_chunk\(\), reaches os\.pwrite\(\)\)$/);
  assert.match(inFull(at('j.append(page, 100)', 'ZDIO003')), /\(passed to Journal\.append\(\), reaches os\.pwrite\(\)\)$/);
  assert.deepEqual(at('write_twice(fd, page, 1000)', 'ZDIO003').related?.map((r) => r.message), ['passed on to write_chunk() here', 'os.pwrite() receives it here']);
});

test('python: a descriptor field that close() sets to None stays O_DIRECT for the I/O on it', async () => {
  const code = `import os

class Direct:
    def __init__(self, path):
        self._fd = os.open(path, os.O_RDWR | os.O_DIRECT)

    def read(self, size, offset):
        return os.pread(self._fd, size, offset)

    def close(self):
        os.close(self._fd)
        self._fd = None

class Buffered:
    def __init__(self, path):
        self._fd = None
        self._fd = os.open(path, os.O_RDWR)

    def read(self):
        return os.pread(self._fd, 4096, 0)

class NeverOpened:
    def __init__(self):
        self._fd = None

    def read(self):
        return os.pread(self._fd, 4096, 0)
`;
  const facts = await extractFacts('python', code);
  assert.deepEqual(siteKeys(facts), ['5 o_direct_open os.open', '8 o_direct_io os.pread']);
  assert.equal(factsAt(code, facts, 'os.pread(self._fd, size').fdODirect, true);
});

test('python: a helper that only allocates is looked at when its result reaches I/O; one vectored segment stays the parameter', async () => {
  const code = `import mmap, os

def heap_page():
    return bytearray(4096)

def mapped_page():
    return mmap.mmap(-1, 131072)

def read_one(fd, buf):
    return os.preadv(fd, [buf], 0)

def f(path):
    fd = os.open(path, os.O_RDWR | os.O_DIRECT)
    os.pwrite(fd, heap_page(), 0)
    os.pwrite(fd, mapped_page(), 0)
    read_one(fd, bytearray(4096))
    read_one(fd, memoryview(mapped_page())[:512])
`;
  const result = await analyzeText(code, 'python', DEFAULT_SETTINGS);
  assert.deepEqual(result.findings.map((x) => `${x.range.start.line + 1} ${x.ruleId}`), ['14 ZDIO001', '16 ZDIO001', '17 ZDIO002']);
  assert.match(inFull(result.findings[1]!), /\(passed to read_one\(\), reaches os\.preadv\(\)\)$/);
});

test('python: module state — a flag made O_DIRECT under an if, a descriptor a function stores with global, a number a function changes', async () => {
  const code = `import mmap, os

FLAGS = os.O_RDWR
if os.environ.get("DIRECT") == "1":
    FLAGS |= os.O_DIRECT
PLAIN = os.O_RDWR
SIZE = 512
_fd = None
_plain = None
_page = mmap.mmap(-1, 4096)


def init(path):
    global _fd, _plain
    _fd = os.open(path, FLAGS)
    _plain = os.open(path, PLAIN)


def grow():
    global SIZE
    SIZE = 4096


def write(buf):
    os.pwrite(_fd, buf, 0)
    os.pwrite(_plain, buf, 0)
    os.pwrite(_fd, memoryview(_page)[:SIZE], 0)
    os.pwrite(_fd, memoryview(_page)[:1024], 0)


def close():
    global _fd
    os.close(_fd)
    _fd = None
`;
  const facts = await extractFacts('python', code);
  assert.deepEqual(siteKeys(facts), ['15 o_direct_open os.open', '25 o_direct_io os.pwrite', '27 o_direct_io os.pwrite', '28 o_direct_io os.pwrite']);
  const result = await analyzeText(code, 'python', DEFAULT_SETTINGS);
  // SIZE is 512 until grow() runs: unknown, so only the constant slice is a finding.
  assert.deepEqual(result.findings.map((x) => `${x.range.start.line + 1} ${x.ruleId}`), ['28 ZDIO002']);
});

test('python: os.write/os.read/os.readv at the file position: 0 after os.open, moved by known lengths, set by os.lseek; unknown after a branch, a helper, SEEK_END', async () => {
  const text = `import mmap, os
def a(path, c):
    fd = os.open(path, os.O_RDWR | os.O_TRUNC | os.O_DIRECT)
    b = mmap.mmap(-1, 8192)
    os.write(fd, b)  # first
    os.write(fd, b)  # second
    os.lseek(fd, 512, os.SEEK_SET)
    os.readv(fd, [b])  # seeked
    os.read(fd, 4096)  # moved
    if c:
        os.write(fd, b)
    os.write(fd, b)  # branch
    os.lseek(fd, 0, os.SEEK_SET)
    helper(fd)
    os.write(fd, b)  # helper
    os.lseek(fd, 0, os.SEEK_END)
    os.write(fd, b)  # end
def helper(fd):
    pass
`;
  const facts = await extractFacts('python', text);
  const at = (m: string) => valueOf(factsAt(text, facts, m).offset);
  assert.deepEqual([at('# first'), at('# second'), at('# seeked'), at('# moved')], [0, 8192, 512, 512 + 8192]);
  assert.deepEqual([at('# branch'), at('# helper'), at('# end')], ['absent', 'absent', 'absent']);
});

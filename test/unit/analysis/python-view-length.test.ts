// Python: a buffer cut from its start to a bound that is not a number where it is cut
// (`memoryview(m)[:length]`, `memoryview(m)[:len(data)]`) is as long as that bound. When the bound is a
// parameter of the function, or a parameter's `len()`, each call's argument decides the length of the
// I/O, and the finding lands on that call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys } from './rust-go-python-helpers';

async function check(text: string) {
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  return r;
}

test('python: a view of an mmap cut to a method parameter has each call\'s length', async () => {
  const text = `import mmap
import os

MAGIC = b"ABCDEFGH"


class Direct:
    def __init__(self, path):
        self.fd = os.open(path, os.O_DIRECT | os.O_RDWR)  # => o_direct_open os.open

    def read(self, offset, length):
        buf = mmap.mmap(-1, max(4096, length))
        os.preadv(self.fd, [memoryview(buf)[:length]], offset)  # => o_direct_io os.preadv
        return bytes(buf[:length])

    def write(self, offset, data):
        buf = mmap.mmap(-1, max(4096, len(data)))
        buf.write(data)
        return os.pwrite(self.fd, memoryview(buf)[:len(data)], offset)  # => o_direct_io os.pwrite


def write_view(fd, data):
    m = mmap.mmap(-1, 1 << 20)
    m.write(data)
    return os.pwrite(fd, memoryview(m)[0:len(data)], 0)  # => o_direct_io os.pwrite


def main(path, wire_length):
    d = Direct(path)
    d.write(0, bytes(4096))  # => | ZDIO004
    d.write(4096, MAGIC)  # => | ZDIO002
    d.write(131072, b"\\0" * 131072)
    d.read(0, 512)  # => | ZDIO002
    d.read(8192, 4096)
    d.read(0, wire_length)
    write_view(d.fd, b"xyz")  # => | ZDIO002
    write_view(d.fd, bytes(131072))
`;
  const r = await check(text);
  const line = (marker: string): number => text.split('\n').findIndex((l) => l.includes(marker));
  assert.match(r.findings.find((f) => f.range.start.line === line('d.read(0, 512)'))!.message, /length 512\b/);
  assert.match(r.findings.find((f) => f.range.start.line === line('d.write(4096, MAGIC)'))!.message, /length 8\b/);
});

test('python: a view cut at an unknown start, or a bound that is not a parameter, gives no length', async () => {
  const text = `import mmap
import os


class Direct:
    def __init__(self, path):
        self.fd = os.open(path, os.O_DIRECT | os.O_RDWR)  # => o_direct_open os.open

    def read_at(self, skip, length):
        buf = mmap.mmap(-1, 1 << 20)
        # where the view starts is not known: neither is how long it is
        os.preadv(self.fd, [memoryview(buf)[skip:length]], 0)  # => o_direct_io os.preadv

    def read_some(self, sock):
        buf = mmap.mmap(-1, 1 << 20)
        n = sock.recv_into(buf)
        os.pwrite(self.fd, memoryview(buf)[:n], 0)  # => o_direct_io os.pwrite


def main(path, sock):
    d = Direct(path)
    d.read_at(7, 512)
    d.read_at(0, 4096)
    d.read_some(sock)
`;
  await check(text);
  // the one segment of os.preadv's list is what is measured, not the list
  const lengths = (await extractFacts('python', text)).map((f) => f.length?.text).sort();
  assert.deepEqual(lengths, ['len(memoryview(buf)[:n])', 'len(memoryview(buf)[skip:length])', undefined]);
});

test('python: the bound of a view a helper returns is not taken for its caller\'s parameter', async () => {
  // \`cut\` returns a view cut to its own parameter: at the write in \`store\` that bound is not known, and
  // the other calls of \`cut\` (a copy of a header here) have nothing to do with that write.
  await check(`import mmap
import os


def cut(m, n):
    v = memoryview(m)
    return v[:n]


def store(fd, m, length):
    os.pwrite(fd, cut(m, length), 0)  # => o_direct_io os.pwrite


def main(path, wire):
    fd = os.open(path, os.O_DIRECT | os.O_WRONLY)  # => o_direct_open os.open
    m = mmap.mmap(-1, 1 << 20)
    header = bytes(cut(m, 512))
    store(fd, m, wire)
    return header
`);
});

// Python: a named tuple of the module (`Range = namedtuple("Range", "src_offset length dst_offset")`)
// built by a caller and handed to a helper that packs its fields into a FICLONERANGE struct: each field
// is what the construction put there, and a field from the caller's parameter is judged at each call.
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

test('python: the fields of a named tuple a caller builds reach the struct a helper packs from it', async () => {
  const text = `import collections
import fcntl
import struct
from collections import namedtuple

FICLONERANGE = 0x4020940D
Span = namedtuple("Span", "src_offset length dst_offset")
Whole = collections.namedtuple("Whole", ["start", "size"])


def clone_span(src, dst, span):
    arg = struct.pack("qQQQ", src.fileno(), span.src_offset, span.length, span.dst_offset)
    fcntl.ioctl(dst.fileno(), FICLONERANGE, arg)  # => ficlone fcntl.ioctl


def clone_whole(src, dst, w):
    # the only Whole is built from literals: its fields are known here, and the finding is the site's
    fcntl.ioctl(dst.fileno(), FICLONERANGE, struct.pack("qQQQ", src.fileno(), w.start, w.size, w.start))  # => ficlone fcntl.ioctl | ZDIO020


def share(src, dst, size):
    clone_span(src, dst, Span(0, size, 0))


def main(a, b):
    share(a, b, 131072)
    share(a, b, 8192)  # => | ZDIO020
    clone_whole(a, b, Whole(start=4096, size=131072))
`;
  const r = await check(text);
  const line = (marker: string): number => text.split('\n').findIndex((l) => l.includes(marker));
  assert.match(r.findings.find((f) => f.range.start.line === line('share(a, b, 8192)'))!.message, /src_length 8192/);
  assert.match(r.findings.find((f) => f.range.start.line === line('w.start, w.size'))!.message, /src_offset 4096/);
});

test('python: a tuple type that is not a module named tuple, or one built with unpacked arguments, gives no field', async () => {
  await check(`import fcntl
import struct


def namedtuple(name, fields):
    return dict


FICLONERANGE = 0x4020940D
Span = namedtuple("Span", "src_offset length dst_offset")


def clone_span(src, dst, span):
    arg = struct.pack("qQQQ", src.fileno(), span.src_offset, span.length, span.dst_offset)
    fcntl.ioctl(dst.fileno(), FICLONERANGE, arg)  # => ficlone fcntl.ioctl


def main(a, b):
    clone_span(a, b, Span(0, 8192, 0))
`);
  await check(`import fcntl
import struct
from collections import namedtuple

FICLONERANGE = 0x4020940D
Span = namedtuple("Span", "src_offset length dst_offset")


def clone_span(src, dst, span):
    arg = struct.pack("qQQQ", src.fileno(), span.src_offset, span.length, span.dst_offset)
    fcntl.ioctl(dst.fileno(), FICLONERANGE, arg)  # => ficlone fcntl.ioctl


def main(a, b, parts):
    clone_span(a, b, Span(*parts))
`);
});

// Python: clone ioctl numbers computed by the module's own _IOC/_IOW functions from the type 0x94 and a
// struct.Struct's size, with names that do not spell FICLONE (python-btrfs's IOC_CLONE_RANGE). Each call
// of such a return-only function is evaluated with its own arguments, and struct.Struct(fmt).pack()
// packs the clone range like struct.pack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { structSize } from '../../../src/core/analysis/languages/python';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys, siteKeys, extractFacts } from './rust-go-python-helpers';

const module = (rangeNr: number): string => `import fcntl
import struct

_IOC_NRSHIFT = 0
_IOC_TYPESHIFT = _IOC_NRSHIFT + 8
_IOC_SIZESHIFT = _IOC_TYPESHIFT + 8
_IOC_DIRSHIFT = _IOC_SIZESHIFT + 14
_IOC_WRITE = 1


def _IOC(direction, type_, nr, size):
    return (direction << _IOC_DIRSHIFT) | (type_ << _IOC_TYPESHIFT) | (nr << _IOC_NRSHIFT) | (size << _IOC_SIZESHIFT)


def _IOW(type_, nr, layout):
    return _IOC(_IOC_WRITE, type_, nr, layout.size)


MAGIC = 0x94
clone_args = struct.Struct("=i")
range_args = struct.Struct("=qQQQ")
IOC_CLONE = _IOW(MAGIC, 9, clone_args)
IOC_CLONE_RANGE = _IOW(MAGIC, ${rangeNr}, range_args)


def clone_range(src_fd, src_offset, length, dest_fd, dest_offset):
    fcntl.ioctl(dest_fd, IOC_CLONE_RANGE, range_args.pack(src_fd, src_offset, length, dest_offset)) # => ${rangeNr === 13 ? 'ficlone fcntl.ioctl' : ''}


def clone_file(src_fd, dest_fd):
    fcntl.ioctl(dest_fd, IOC_CLONE, src_fd) # => ficlone fcntl.ioctl


def share(src, dst):
    clone_range(src.fileno(), 0, 2 * 131072, dst.fileno(), 0) # =>
    clone_range(src.fileno(), 65536, 4096, dst.fileno(), 65536) # => ${rangeNr === 13 ? '| ZDIO020' : ''}
`;

test('python: request numbers from the module-level _IOW(0x94, nr, struct) are clone ioctls, and the packed range is judged per call', async () => {
  const text = module(13);
  assert.deepEqual(siteKeys(await extractFacts('python', text)), expectationsOf(text).sites);
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('python: the same module computing another request number (dedupe range, 54) has no FICLONERANGE site', async () => {
  const text = module(54);
  assert.deepEqual(siteKeys(await extractFacts('python', text)), expectationsOf(text).sites);
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS);
  assert.deepEqual(findingKeys(r), []);
});

test('python: struct sizes follow calcsize, with and without a byte-order prefix', () => {
  assert.equal(structSize('=qQQQ'), 32);
  assert.equal(structSize('qQQQ'), 32);
  assert.equal(structSize('=i'), 4);
  assert.equal(structSize('ic'), 5);
  assert.equal(structSize('ci'), 8);
  assert.equal(structSize('=ci'), 5);
  assert.equal(structSize('4s'), 4);
  assert.equal(structSize('z'), undefined);
});

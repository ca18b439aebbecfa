// C++ fixtures: the same rules through the C++ grammar (members, ::calls, std containers, new, alignas).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFixture, findingAt, findingKeys, siteKeys } from './c-family-helpers';

test('C++ O_DIRECT I/O: ZDIO001-003 exactly where expected', async () => {
  const { text, result } = await analyzeFixture('cpp/odirect.cpp');
  assert.deepEqual(findingKeys(text, result.findings), [
    'ZDIO001@aligned-512', 'ZDIO001@init-member', 'ZDIO001@make-unique', 'ZDIO001@malloc-offset', 'ZDIO001@new', 'ZDIO001@vector', 'ZDIO001@vector-read',
    'ZDIO002@half', 'ZDIO003@malloc-offset',
  ].sort());
  assert.deepEqual(siteKeys(text, result), [
    'o_direct_io@aligned-512', 'o_direct_io@aligned-new', 'o_direct_io@alignas-ok', 'o_direct_io@half', 'o_direct_io@make-unique',
    'o_direct_io@malloc-offset', 'o_direct_io@new', 'o_direct_io@ok', 'o_direct_io@vector', 'o_direct_io@vector-read',
    'o_direct_open@open-local', 'o_direct_open@open-member', 'o_direct_open@open-init', 'o_direct_io@init-member',
  ].sort());
  assert.match(findingAt(text, result, 'ZDIO001', 'vector').message, /buffer from std::vector<char>::data\(\) may not be page-aligned \(4096\)/);
  assert.match(findingAt(text, result, 'ZDIO001', 'new').message, /new char\[4096\]/);
  assert.match(findingAt(text, result, 'ZDIO001', 'aligned-512').message, /aligned_alloc\(512, 8192\) is only 512-aligned \(page size 4096\)/);
  assert.match(findingAt(text, result, 'ZDIO002', 'half').message, /length 2048 \(kPage \/ 2\) is not a multiple of page size 4096/);
  assert.match(findingAt(text, result, 'ZDIO003', 'malloc-offset').message, /offset 1000 is not a multiple of page size 4096/);
  assert.equal(findingAt(text, result, 'ZDIO003', 'malloc-offset').site.callee, '::pwrite');
  // A member opened in a constructor's initializer list, read in another method; its buffer from new char[].
  assert.match(findingAt(text, result, 'ZDIO001', 'init-member').message, /buffer from new char\[8192\]/);
});

test('C++ copy_file_range: ::calls, nullptr offsets, constexpr in namespaces', async () => {
  const { text, result } = await analyzeFixture('cpp/copy-file-range.cpp');
  assert.deepEqual(findingKeys(text, result.findings), ['ZDIO010@constexpr', 'ZDIO010@repro', 'ZDIO011@odirect-dst', 'ZDIO012@discarded', 'ZDIO012@gives-up']);
  assert.deepEqual(siteKeys(text, result), ['copy_file_range@constexpr', 'copy_file_range@discarded', 'copy_file_range@gives-up', 'copy_file_range@odirect-dst', 'copy_file_range@repro', 'o_direct_open@open-out']);
  assert.deepEqual(findingAt(text, result, 'ZDIO012', 'gives-up').derived, { resultCheck: 'error-exit-only' });
  const repro = findingAt(text, result, 'ZDIO010', 'repro');
  assert.deepEqual(repro.derived, { recordsize: 131072, recordsizeSource: 'setting', srcOffset: 0, dstOffset: 262144, length: 196608 });
  assert.match(findingAt(text, result, 'ZDIO010', 'constexpr').message, /len 196608 \(kMisaligned\)/);
  assert.match(findingAt(text, result, 'ZDIO011', 'odirect-dst').message, /^copy_file_range with an O_DIRECT destination: /);
});

test('C++ FICLONERANGE: brace init and member assignments', async () => {
  const { text, result } = await analyzeFixture('cpp/ficlone.cpp');
  assert.deepEqual(findingKeys(text, result.findings), ['ZDIO020@len']);
  assert.deepEqual(siteKeys(text, result), ['ficlone@aligned', 'ficlone@range', 'ficlone@whole']);
  const f = findingAt(text, result, 'ZDIO020', 'len');
  assert.match(f.message, /src_length 135168 \(kBlock \+ 4096\) is not a multiple/);
  assert.deepEqual(f.derived, { recordsize: 131072, recordsizeSource: 'setting', srcOffset: 131072, length: 135168, dstOffset: 0 });
});

test('C++: member functions, namespaced look-alikes, raw strings and macros are not sites', async () => {
  const { result } = await analyzeFixture('cpp/not-sites.cpp');
  assert.deepEqual(result.sites, []);
});

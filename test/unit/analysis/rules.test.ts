// The rules on SiteFacts directly: they are the language-independent contract, so these cases hold
// for every extractor. No syntax here, only derived values and settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules, type RuleContext } from '../../../src/core/analysis/rules';
import { MESSAGE_LIMIT } from '../../../src/core/analysis/rules/describe';
import type { BufferOrigin, DerivedNumber, SiteFacts, SiteKind } from '../../../src/core/types';

const ctx: RuleContext = { pageSize: 4096, recordsize: 131072, recordsizeSource: 'setting' };
const range = { start: { line: 3, column: 2 }, end: { line: 3, column: 40 } };
const k = (value: number, text = String(value)): DerivedNumber => ({ known: true, value, text });
const u = (text: string): DerivedNumber => ({ known: false, text });

function facts(kind: SiteKind, extra: Partial<SiteFacts>): SiteFacts {
  return { site: { kind, language: 'c', callee: kind, range }, argRanges: {}, constants: {}, ...extra };
}
const io = (extra: Partial<SiteFacts>): SiteFacts => facts('o_direct_io', { fdODirect: true, direction: 'read', ...extra });
const ids = (f: SiteFacts, c: RuleContext = ctx): string[] => runRules(f, c).map((h) => h.ruleId);

test('unknown values never warn', () => {
  assert.deepEqual(ids(io({ buffer: { state: 'unknown', origin: 'p' }, length: u('len'), offset: u('off') })), []);
  assert.deepEqual(ids(io({ direction: 'write', length: u('n'), offset: k(0) })), []);
  assert.deepEqual(ids(facts('copy_file_range', { srcOffset: u('NULL'), dstOffset: u('NULL'), length: u('len') })), []);
  assert.deepEqual(ids(facts('ficlone', { ficloneVariant: 'FICLONERANGE', srcOffset: u('a'), length: u('b'), dstOffset: u('c') })), []);
  assert.deepEqual(ids(facts('copy_file_range', {})), []);
});

test('O_DIRECT rules need a descriptor known to be O_DIRECT', () => {
  const bad = { buffer: { state: 'unaligned', origin: 'malloc(100)' } as BufferOrigin, length: k(100), offset: k(1) };
  assert.deepEqual(ids(io({ ...bad, fdODirect: undefined })), []);
  assert.deepEqual(ids(io(bad)).sort(), ['ZDIO001', 'ZDIO002', 'ZDIO003']);
  assert.deepEqual(ids(facts('o_direct_open', { fdODirect: true })), []);
});

test('ZDIO001: unaligned origins, alignment below the page size, offsets from an aligned base', () => {
  const [h] = runRules(io({ buffer: { state: 'unaligned', origin: 'Vec<u8>' } }), ctx);
  assert.equal(h!.message.includes('buffer from Vec<u8> may not be page-aligned (4096)'), true);
  assert.match(h!.detail!, /not known to be a multiple of the page size 4096/);
  const [s] = runRules(io({ buffer: { state: 'aligned', alignment: 512, origin: 'memalign(512, 8192)' } }), ctx);
  assert.match(s!.message, /buffer from memalign\(512, 8192\) is only 512-aligned \(page size 4096\)/);
  assert.deepEqual(s!.derived, { origin: 'memalign(512, 8192)', alignment: 512, pageSize: 4096 });
  assert.deepEqual(ids(io({ buffer: { state: 'aligned', alignment: 4096, origin: 'x' } })), []);
  assert.deepEqual(ids(io({ buffer: { state: 'aligned', alignment: 1 << 20, origin: 'x', offset: 8192 } })), []);
  const [o] = runRules(io({ buffer: { state: 'aligned', alignment: 4096, origin: 'aligned_alloc(4096, 8192)', offset: 100 } }), ctx);
  assert.match(o!.message, /buffer aligned_alloc\(4096, 819… \+ 100 is not a multiple of page size 4096/);
  assert.deepEqual(ids(io({ buffer: { state: 'aligned', alignedToPage: true, origin: 'mmap' } })), []);
  assert.deepEqual(ids(io({ buffer: { state: 'aligned', alignedToPage: true, origin: 'mmap', offset: 16 } })), ['ZDIO001']);
  // With 64 KiB pages (arm64/ppc64 kernels) a 4096-aligned buffer is no longer enough; mmap still is.
  const big: RuleContext = { ...ctx, pageSize: 65536 };
  assert.deepEqual(ids(io({ buffer: { state: 'aligned', alignment: 4096, origin: 'x' } }), big), ['ZDIO001']);
  assert.deepEqual(ids(io({ buffer: { state: 'aligned', alignedToPage: true, origin: 'mmap' } }), big), []);
  // The quick fix is only offered where the allocation can be replaced.
  assert.equal(runRules(io({ buffer: { state: 'unaligned', origin: 'malloc(1)', allocationRange: range, allocationText: 'malloc(1)' } }), ctx)[0]!.replaceAllocation, true);
});

test('ZDIO002/003: page-size multiples, with the derived value and its spelling', () => {
  const [l] = runRules(io({ length: k(6000, 'BUF_LEN') }), ctx);
  assert.equal(l!.ruleId, 'ZDIO002');
  assert.match(l!.message, /length 6000 \(BUF_LEN\) is not a multiple of page size 4096/);
  assert.deepEqual(l!.roundLength, { value: 6000, multiple: 4096 });
  assert.equal(l!.manualFix, undefined);
  // A write's length is never rounded up (it would write bytes the program did not mean to), nor an offset.
  const [w] = runRules(io({ direction: 'write', length: k(6000, 'BUF_LEN') }), ctx);
  assert.equal(w!.roundLength, undefined);
  assert.match(w!.manualFix!, /would write bytes the program did not mean to write/);
  const [o] = runRules(io({ offset: k(0x1001, '0x1001') }), ctx);
  assert.match(o!.message, /offset 4097 is not a multiple of page size 4096/);
  assert.equal(o!.roundLength, undefined);
  assert.match(o!.manualFix!, /read or write other bytes of the file/);
  assert.deepEqual(ids(io({ length: k(8192), offset: k(0) })), []);
  assert.deepEqual(ids(io({ length: k(0), offset: k(0) })), []);
  assert.deepEqual(ids(io({ offset: k(-1) })), [], 'negative = file position');
  // Vectored I/O: every segment must be a page multiple, even when the total is.
  const [seg] = runRules(io({ length: k(8192), segments: [{ length: k(4000) }, { length: k(4192) }] }), ctx);
  assert.match(seg!.message, /segment 0 length 4000 is not a multiple of page size 4096/);
  assert.deepEqual(ids(io({ length: k(8192), segments: [{ length: k(4096) }, { length: u('n') }] })), []);
});

test('a message that would pass MESSAGE_LIMIT drops the spellings first, then words, never the values', () => {
  const spelled = 'header_bytes + entry_count * ENTRY_SIZE';
  const [plainLength] = runRules(io({ length: k(6000) }), ctx);
  assert.equal(plainLength!.message, 'O_DIRECT read length 6000 is not a multiple of page size 4096: EINVAL on 2.3.x direct=standard, uncached on 2.4+');
  const [short] = runRules(io({ length: k(6000, 'BUF_LEN') }), ctx);
  assert.equal(short!.message, 'O_DIRECT read length 6000 (BUF_LEN) is not a multiple of page size 4096: EINVAL on 2.3.x direct=standard',
    'fewer words before the spelling goes');
  const [long] = runRules(io({ length: k(6000, spelled), offset: k(0) }), ctx);
  assert.equal(long!.message, 'O_DIRECT read length 6000 is not a multiple of page size 4096: EINVAL on 2.3.x direct=standard');
  const [buf] = runRules(io({ buffer: { state: 'unaligned', origin: 'a buffered file object (reads into its own heap buffer)' } }), ctx);
  assert.ok(buf!.message.length <= MESSAGE_LIMIT, buf!.message);
  assert.equal(buf!.message, 'O_DIRECT read buffer from a buffered file object… may not be page-aligned (4096): EINVAL on 2.3.x direct=standard',
    'the origin cut short, the 2.4 behaviour left to the detail');
  assert.match(buf!.detail!, /2\.4 and later serve it as uncached I\/O/);
});

test('ZDIO004: only writes, only when page-aligned, when length or offset miss the recordsize', () => {
  const w = (len: number, off: number): string[] => ids(io({ direction: 'write', length: k(len), offset: k(off) }));
  assert.deepEqual(w(8192, 0), ['ZDIO004']);
  assert.deepEqual(w(131072, 8192), ['ZDIO004']);
  assert.deepEqual(w(262144, 131072), []);
  assert.deepEqual(w(6000, 0), ['ZDIO002'], 'not page-aligned: ZDIO002, not ZDIO004');
  const badBuffer = io({ direction: 'write', length: k(8192), offset: k(0), buffer: { state: 'unaligned', origin: 'malloc(8192)' } });
  assert.deepEqual(ids(badBuffer), ['ZDIO001'], 'a rejected buffer makes the recordsize hint moot');
  assert.deepEqual(ids(io({ direction: 'read', length: k(8192), offset: k(0) })), [], 'reads have no recordsize requirement');
  assert.deepEqual(ids(io({ direction: 'write', length: k(8192) })), [], 'offset unknown (plain write)');
  const [h] = runRules(io({ direction: 'write', length: k(8192), offset: k(4096) }), { ...ctx, recordsizeSource: 'dataset', recordsize: 1 << 20 });
  assert.match(h!.message, /length 8192 and offset 4096 are not multiples of the dataset's recordsize 1048576: only whole records bypass the ARC$/);
  assert.match(h!.detail!, /page-aligned, so OpenZFS accepts it as Direct I\/O.*read-modify-write/);
  assert.deepEqual(h!.derived, { length: 8192, offset: 4096, pageSize: 4096, recordsize: 1048576, recordsizeSource: 'dataset' });
});

test('ZDIO010: any known offset or length off the recordsize; NULL offsets are the file position', () => {
  const cfr = (extra: Partial<SiteFacts>): SiteFacts => facts('copy_file_range', extra);
  const [r] = runRules(cfr({ srcOffset: k(0), dstOffset: k(262144), length: k(196608) }), ctx);
  assert.equal(r!.ruleId, 'ZDIO010');
  assert.equal(r!.message, 'copy_file_range len 196608 is not a multiple of recordsize 131072: copied, not cloned (EAGAIN on 2.3.0 with Direct I/O)');
  assert.match(r!.detail!, /fails with EAGAIN \(openzfs#16958, fixed in 2\.3\.1/);
  assert.deepEqual(ids(cfr({ srcOffset: u('NULL'), dstOffset: u('NULL'), length: k(262144) })), []);
  const [two] = runRules(cfr({ srcOffset: k(4096), dstOffset: k(8192), length: k(65536) }), ctx);
  assert.match(two!.message, /off_in 4096 and off_out 8192 and len 65536 are not multiples of recordsize 131072/);
  // No round-up: it would copy other bytes than the program means to.
  assert.equal(two!.roundLength, undefined);
  assert.match(two!.manualFix!, /would copy more, or other, bytes than the program means to/);
});

test('ZDIO011 and ZDIO012', () => {
  assert.deepEqual(ids(facts('copy_file_range', { srcFdODirect: true })), ['ZDIO011']);
  assert.deepEqual(ids(facts('copy_file_range', { dstFdODirect: true })), ['ZDIO011']);
  assert.deepEqual(ids(facts('copy_file_range', { srcFdODirect: false, dstFdODirect: false })), []);
  assert.deepEqual(ids(facts('copy_file_range', { resultHandled: false })), ['ZDIO012']);
  assert.deepEqual(ids(facts('copy_file_range', { resultHandled: true })), []);
});

test('ZDIO020: FICLONERANGE fields; src_length 0 runs to EOF; FICLONE has no range', () => {
  const fr = (extra: Partial<SiteFacts>): SiteFacts => facts('ficlone', { ficloneVariant: 'FICLONERANGE', ...extra });
  const [h] = runRules(fr({ srcOffset: k(0), length: k(196608), dstOffset: k(0) }), ctx);
  assert.match(h!.message, /src_length 196608 is not a multiple of recordsize 131072: EINVAL, no fallback$/);
  assert.match(h!.detail!, /stands in for the source file's block size/);
  assert.equal(h!.roundLength, undefined, 'rounding src_length up would clone more than the program means to');
  assert.match(h!.manualFix!, /clone more, or other, bytes than the program means to/);
  assert.deepEqual(ids(fr({ srcOffset: k(131072), length: k(0), dstOffset: k(0) })), []);
  assert.deepEqual(ids(fr({ srcOffset: k(131072), length: k(0), dstOffset: k(4096) })), ['ZDIO020']);
  assert.deepEqual(ids(facts('ficlone', { ficloneVariant: 'FICLONE', length: k(1) })), []);
});

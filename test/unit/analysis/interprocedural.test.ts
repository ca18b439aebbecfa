// The summary engine on its own: parametric site facts plus call records give the facts as seen
// from each call, through chains of helpers, bounded, without inventing values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describePath, hitFromCall, hitInThisFile, instantiate, siteLabel } from '../../../src/core/analysis/interprocedural';
import type { CallRecord, Range, SiteFacts } from '../../../src/core/types';

const at = (line: number, column = 0, endColumn = column + 1): Range => ({ start: { line, column }, end: { line, column: endColumn } });
const known = (value: number) => ({ known: true as const, value, text: String(value) });

/** `read(fd, buf, count)` inside `runtest(int fd, char *buf, size_t count)`, at line 10. */
function readSite(): SiteFacts {
  return {
    site: { kind: 'o_direct_io', language: 'c', callee: 'read', range: at(10, 4, 24) },
    direction: 'read', fdODirect: undefined, buffer: { state: 'unknown', origin: 'buf' },
    length: { known: false, text: 'count' }, argRanges: { length: at(10, 18, 23) }, constants: {},
    params: { fd: { fn: 'runtest', index: 0, name: 'fd' }, length: { fn: 'runtest', index: 2, name: 'count' } },
  };
}

function call(callee: string, line: number, args: CallRecord['args'], caller?: string): CallRecord {
  return { callee, caller, range: at(line, 4, 40), args };
}

test('each call with known arguments gives the site as seen from it; unknown arguments give nothing', () => {
  const calls = [
    call('runtest', 20, [{ range: at(20, 12, 14), text: 'fd', oDirect: true }, undefined, { range: at(20, 20, 21), text: '1', number: known(1) }]),
    call('runtest', 21, [{ range: at(21, 12, 14), text: 'fd', oDirect: true }, undefined, { range: at(21, 20, 24), text: '4096', number: known(4096) }]),
    call('runtest', 22, [{ range: at(22, 12, 14), text: 'fd' }, undefined, { range: at(22, 20, 21), text: 'n' }]),
    call('other', 23, [{ range: at(23, 12, 14), text: 'fd', oDirect: true }]),
  ];
  const out = instantiate([readSite()], calls);
  assert.equal(out.length, 2, 'the call with nothing known and the call of another function give nothing');
  assert.deepEqual(out.map((f) => [f.fdODirect, f.length]), [[true, known(1)], [true, known(4096)]]);
  assert.deepEqual(out[0]!.argRanges.length, at(20, 20, 21), 'the length now points at the caller\'s argument');
  assert.deepEqual(out[0]!.via, [{ callee: 'runtest', range: at(20, 4, 40), supplied: ['fd', 'length'] }]);
  assert.equal(out[0]!.params, undefined);
  assert.equal(hitFromCall(out[0]!.argRanges.length!, out[0]!.via), true);
  assert.equal(hitFromCall(out[0]!.site.range, out[0]!.via), false, 'a hit on the site itself is the site\'s own');
  assert.equal(describePath(out[0]!.via!, out[0]!.site), 'runtest(), reaches read()');
});

test('a chain of helpers is followed to the caller that knows the value; recursion and depth are bounded', () => {
  // helper(fd, n) → read; do_io(fd, n) calls helper(fd, n); main calls do_io(fd, 1000)
  const site = { ...readSite(), params: { fd: { fn: 'helper', index: 0, name: 'fd' }, length: { fn: 'helper', index: 1, name: 'n' } } };
  const calls = [
    call('helper', 30, [{ range: at(30, 11, 13), text: 'fd', param: { fn: 'do_io', index: 0, name: 'fd' } },
      { range: at(30, 15, 16), text: 'n', param: { fn: 'do_io', index: 1, name: 'n' } }], 'do_io'),
    call('do_io', 40, [{ range: at(40, 10, 12), text: 'fd', oDirect: true }, { range: at(40, 14, 18), text: '1000', number: known(1000) }], 'main'),
    // do_io calls itself with its own parameters: adds nothing, must not loop
    call('do_io', 31, [{ range: at(31, 10, 12), text: 'fd', param: { fn: 'do_io', index: 0, name: 'fd' } },
      { range: at(31, 14, 15), text: 'n', param: { fn: 'do_io', index: 1, name: 'n' } }], 'do_io'),
  ];
  const out = instantiate([site], calls);
  const resolved = out.filter((f) => f.length?.known);
  assert.equal(resolved.length, 1);
  assert.deepEqual(resolved[0]!.via!.map((v) => v.callee), ['do_io', 'helper']);
  assert.equal(describePath(resolved[0]!.via!, resolved[0]!.site), 'do_io() → helper(), reaches read()');
  assert.deepEqual(resolved[0]!.argRanges.length, at(40, 14, 18));
  assert.equal(instantiate([site], calls, { depth: 1 }).filter((f) => f.length?.known).length, 0, 'one level is not enough');
  assert.ok(instantiate([site], calls, { total: 1 }).length <= 1, 'the total budget holds');
});

test('a value known inside the helper and a descriptor known only at the call: the hit stays where the value is', () => {
  // do_io(fd) { helper(fd, 1000); }  main: do_io(ofd)
  const site = { ...readSite(), params: { fd: { fn: 'helper', index: 0, name: 'fd' }, length: { fn: 'helper', index: 1, name: 'n' } } };
  const calls = [
    call('helper', 30, [{ range: at(30, 11, 13), text: 'fd', param: { fn: 'do_io', index: 0, name: 'fd' } },
      { range: at(30, 15, 19), text: '1000', number: known(1000) }]),
    call('do_io', 40, [{ range: at(40, 10, 13), text: 'ofd', oDirect: true }]),
  ];
  const out = instantiate([site], calls);
  const full = out.find((f) => f.fdODirect === true && f.length?.known);
  assert.ok(full, JSON.stringify(out));
  assert.deepEqual(full!.argRanges.length, at(30, 15, 19), 'the length is the literal in do_io\'s call of helper');
  assert.equal(hitFromCall(full!.argRanges.length!, full!.via), true, 'which lies in a call of the path');
});

test('calls and sites in another file: their ranges never count as this file\'s, only what a call here supplies does', () => {
  const other = '/pkg/helper.go';
  // A site of another file (line 10 there) whose length is a parameter, called from this file at line 10 too.
  const site: SiteFacts = { ...readSite(), file: other, elsewhere: ['length'] };
  const local = call('runtest', 10, [{ range: at(10, 4, 6), text: 'fd', oDirect: true }, undefined, { range: at(10, 20, 24), text: '1000', number: known(1000) }]);
  const [here] = instantiate([site], [local]);
  assert.equal(here!.file, other);
  assert.deepEqual(here!.elsewhere, undefined, 'the length and the descriptor now lie in this file');
  assert.equal(hitInThisFile(here!.argRanges.length!, here!), true);
  assert.equal(hitInThisFile(here!.site.range, here!), false, 'the site itself is in the other file');
  // The same call made in the other file: its ranges are that file's, though they overlap this file's line 10.
  const far: CallRecord = { ...local, file: other, args: [local.args[0], undefined, { ...local.args[2]!, constant: { name: 'N', range: at(2), valueText: '1000' } }] };
  const [there] = instantiate([readSite()], [far]);
  assert.deepEqual(there!.via, [{ callee: 'runtest', range: at(10, 4, 40), supplied: ['fd', 'length'], file: other }]);
  assert.deepEqual([...there!.elsewhere!].sort(), ['fd', 'length']);
  assert.equal(there!.constants.length, undefined, 'a definition in another file is not kept for fixes');
  assert.equal(hitFromCall(there!.argRanges.length!, there!.via), false, 'a call in another file supplies nothing seen here');
  assert.equal(hitInThisFile(there!.argRanges.length!, there!), false);
  assert.equal(describePath(here!.via!, here!.site, here!.file), 'runtest(), reaches read() in helper.go');
});

test('a parameter the site multiplies by a constant: each call\'s argument is scaled, and a factor passed on multiplies', () => {
  const site: SiteFacts = {
    ...readSite(),
    length: { known: false, text: 'kb * 1024' },
    params: { fd: { fn: 'runtest', index: 0, name: 'fd' }, length: { fn: 'runtest', index: 2, name: 'kb', times: 1024 } },
  };
  const calls = [
    call('runtest', 20, [{ range: at(20, 12, 14), text: 'fd', oDirect: true }, undefined, { range: at(20, 20, 21), text: '2', number: known(2), constant: { name: 'TWO', range: at(1), valueText: '2' } }]),
    // a caller that passes its own parameter on, which its caller sets in sectors of 512
    call('runtest', 30, [{ range: at(30, 12, 14), text: 'fd', oDirect: true }, undefined, { range: at(30, 20, 25), text: 'half', param: { fn: 'wrapper', index: 0, name: 'half', times: 2 } }], 'wrapper'),
    call('wrapper', 40, [{ range: at(40, 12, 13), text: '3', number: known(3) }]),
  ];
  const out = instantiate([site], calls).filter((f) => f.length?.known);
  assert.deepEqual(out.map((f) => f.length), [{ known: true, value: 2048, text: '2 * 1024' }, { known: true, value: 3 * 2 * 1024, text: '3 * 2048' }]);
  assert.equal(out[0]!.constants.length, undefined, 'the constant passed is not the value used: no fix may rewrite it');
  assert.deepEqual(out[1]!.argRanges.length, at(40, 12, 13), 'the value is placed on the outermost caller\'s argument');
});

test('messages name a call site as the call, and a request filled in field by field as that request', () => {
  assert.equal(siteLabel({ callee: 'pwrite' }), 'pwrite()');
  assert.equal(siteLabel({ callee: 'SAFE_WRITE' }), 'SAFE_WRITE()');
  assert.equal(siteLabel({ callee: 'IOCB_CMD_PWRITE' }), 'an IOCB_CMD_PWRITE request');
  assert.equal(siteLabel({ callee: 'IORING_OP_READ_FIXED' }), 'an IORING_OP_READ_FIXED request');
});

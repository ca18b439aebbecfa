// Host-side assertions on what the editor stage (test/zfs/guest/editor.sh) left on the live pool after
// the workbench was driven by test/zfs/editor.spec.mjs: one probe cancelled, one completed, both from
// the Command Palette. Run by test/zfs/run.sh with ZFS_TEST_OUTPUT=test-output/zfs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const OUT = process.env.ZFS_TEST_OUTPUT;
assert.ok(OUT && existsSync(path.join(OUT, 'guest')), 'ZFS_TEST_OUTPUT must point at test-output/zfs (run test/zfs/run.sh)');
const EDITOR = path.join(OUT, 'guest', 'editor');

function read(name) {
  const p = path.join(EDITOR, name);
  assert.ok(existsSync(p), `the editor stage did not record ${name}`);
  return readFileSync(p, 'utf8');
}
const lines = (text) => text.split('\n').map((l) => l.trim()).filter(Boolean);

test('the host drove the workbench to the end (the spec passed)', () => {
  assert.equal(read('host-done').trim(), '0');
});

test('the workspace folder holds exactly what it held before the probes, and the file is unchanged', () => {
  assert.deepEqual(lines(read('workspace-after.txt')), lines(read('workspace-before.txt')));
  assert.deepEqual(lines(read('workspace-before.txt')), ['clone.c']);
  assert.equal(read('workspace-file-changed.rc').trim(), '0', 'clone.c is byte-for-byte the file that was copied in');
});

test('no scratch directory of the cancelled or the completed probe remains anywhere on the pool', () => {
  assert.deepEqual(lines(read('stray-files.txt')), []);
});

test('the probes from the editor created no dataset and changed no property', () => {
  const after = lines(read('datasets-after.txt')).map((l) => l.split('\t'));
  assert.deepEqual(after.map((r) => r[0]).sort(), ['work', 'work/other', 'work/project', 'work/with space']);
  const project = after.find((r) => r[0] === 'work/project');
  assert.deepEqual(project, ['work/project', 'always', '1048576']);
  assert.equal(after.find((r) => r[0] === 'work/other')[1], 'standard');
});

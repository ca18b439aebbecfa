import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertValidDatasetName, datasetNameProblem, looksLikePath } from '../../../src/core/probe/names';
import { ProbeError } from '../../../src/core/probe/errors';

test('valid names, including spaces, colons and dots', () => {
  for (const n of ['tank', 'tank/home', 'tank/with space', 'rpool/ROOT/debian:12', 'p/a.b_c-d', 'T1/x y/z']) {
    assert.equal(datasetNameProblem(n), null, n);
  }
});

test('a quote, a newline and shell metacharacters are refused with the character named', () => {
  assert.match(datasetNameProblem("tank/it's")!, /single quote/);
  assert.match(datasetNameProblem('tank/a"b')!, /double quote/);
  assert.match(datasetNameProblem('tank/a\nb')!, /newline/);
  assert.match(datasetNameProblem('tank/$(reboot)')!, /dollar sign/);
  assert.match(datasetNameProblem('tank/a;b')!, /semicolon/);
  assert.match(datasetNameProblem('tank/\u0001')!, /control character U\+0001/);
  assert.match(datasetNameProblem('tank/é')!, /character `é`/);
});

test('structure: empty components, snapshots, bookmarks, pool rules, length', () => {
  assert.match(datasetNameProblem('')!, /empty/);
  assert.match(datasetNameProblem('tank//a')!, /empty component/);
  assert.match(datasetNameProblem('tank/a/')!, /empty component/);
  assert.match(datasetNameProblem('tank/a@snap')!, /snapshot/);
  assert.match(datasetNameProblem('tank/a#bm')!, /bookmark/);
  assert.match(datasetNameProblem('tank/..')!, /`\.\.` is not allowed/);
  assert.match(datasetNameProblem('1tank/a')!, /must begin with a letter/);
  assert.match(datasetNameProblem('-o/a')!, /must begin with a letter/, 'no option injection through a name');
  assert.match(datasetNameProblem('mirror1/a')!, /reserved/);
  assert.match(datasetNameProblem('t/' + 'a'.repeat(300))!, /limit is 255/);
});

test('assertValidDatasetName throws BAD_INPUT with the name quoted', () => {
  assert.throws(() => assertValidDatasetName("tank/it's"), (e: unknown) =>
    e instanceof ProbeError && e.code === 'BAD_INPUT' && e.message.startsWith('"tank/it\'s" is not a valid ZFS dataset name'));
});

test('targets: paths versus dataset names', () => {
  for (const p of ['/tmp/x', '.', '..', './tank', '../a', '~', '~/src']) assert.equal(looksLikePath(p), true, p);
  for (const n of ['tank', 'tank/home', 'tank/with space']) assert.equal(looksLikePath(n), false, n);
});

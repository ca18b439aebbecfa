import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedDebouncer, LatestOnly } from '../../../src/server/scheduling';

test('the debouncer runs only the last scheduled callback per key', async () => {
  const d = new KeyedDebouncer();
  const ran: string[] = [];
  d.schedule('a', 20, () => ran.push('a1'));
  d.schedule('a', 20, () => ran.push('a2'));
  d.schedule('b', 20, () => ran.push('b1'));
  assert.ok(d.pending('a'));
  await sleep(60);
  assert.deepEqual(ran.sort(), ['a2', 'b1']);
  assert.ok(!d.pending('a'));
  d.schedule('c', 0, () => ran.push('c-now'));
  assert.ok(ran.includes('c-now'), 'a zero delay runs synchronously');
  d.schedule('d', 20, () => ran.push('d'));
  d.cancelAll();
  await sleep(40);
  assert.ok(!ran.includes('d'));
});

test('a slow older analysis cannot overwrite a newer one', async () => {
  const latest = new LatestOnly();
  const published: string[] = [];
  const analyze = async (label: string, ms: number) => {
    const ticket = latest.begin('doc');
    await sleep(ms);
    if (latest.isCurrent('doc', ticket)) published.push(label);
  };
  await Promise.all([analyze('old-slow', 40), (async () => { await sleep(5); await analyze('new-fast', 5); })()]);
  assert.deepEqual(published, ['new-fast']);
  const t = latest.begin('doc');
  latest.forget('doc');
  assert.equal(latest.isCurrent('doc', t), false, 'closing a document invalidates its running analysis');
});

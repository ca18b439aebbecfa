import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatasetRecordsizeCache } from '../../../src/core/probe/recordsize-cache';
import { ProbeError } from '../../../src/core/probe/errors';
import type { DatasetInfo } from '../../../src/core/types';

const MOUNTINFO = [
  '22 1 0:21 / / rw - ext4 /dev/vda rw',
  '51 22 0:44 / /tank rw - zfs tank rw',
  '52 51 0:45 / /tank/db rw - zfs tank/db rw',
  '53 51 0:46 / /tank/with\\040space rw - zfs tank/with\\040space rw',
  '60 51 0:50 / /tank/nfs rw - nfs4 server:/export rw',
].join('\n');

const DATASETS: DatasetInfo[] = [
  { name: 'tank', mountpoint: '/tank', properties: { recordsize: '131072' } },
  { name: 'tank/db', mountpoint: '/tank/db', properties: { recordsize: '16384' } },
  { name: 'tank/with space', mountpoint: '/tank/with space', properties: { recordsize: '1048576' } },
];

test('longest-prefix match over the whole mount table', async () => {
  let calls = 0;
  const cache = new DatasetRecordsizeCache({ listDatasets: async () => { calls++; return DATASETS; }, readMountinfo: async () => MOUNTINFO });
  assert.equal(cache.recordsizeFor('/tank/db/file.c'), undefined, 'empty before the first refresh');
  await cache.refresh();
  assert.equal(cache.recordsizeFor('/tank/src/main.c'), 131072);
  assert.equal(cache.recordsizeFor('/tank/db/x/y.rs'), 16384);
  assert.equal(cache.recordsizeFor('/tank/dbx/y.rs'), 131072, '/tank/dbx is not inside /tank/db');
  assert.equal(cache.recordsizeFor('/tank/with space/a.go'), 1048576);
  assert.equal(cache.recordsizeFor('/tank/nfs/a.c'), undefined, 'an NFS mount below a dataset is not ZFS');
  assert.equal(cache.recordsizeFor('/home/a.c'), undefined);
  assert.equal(cache.recordsizeFor('/tank/db/../a.c'), 131072, 'paths are normalised');
  assert.equal(cache.size, 3);
  await Promise.all([cache.refresh(), cache.refresh()]);
  assert.equal(calls, 2, 'concurrent refreshes share one reload');
});

test('a failed refresh empties the cache and keeps the reason', async () => {
  let fail = false;
  const cache = new DatasetRecordsizeCache({
    listDatasets: async () => { if (fail) throw new ProbeError('NO_ZFS', 'no zfs'); return DATASETS; },
    readMountinfo: async () => MOUNTINFO,
  });
  await cache.refresh();
  assert.equal(cache.recordsizeFor('/tank/a'), 131072);
  fail = true;
  await cache.refresh();
  assert.equal(cache.recordsizeFor('/tank/a'), undefined);
  assert.equal(cache.lastError?.code, 'NO_ZFS');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPathWithin, mountForPath, parseMountinfo, unescapeMountField, zfsMounts } from '../../../src/core/probe/mountinfo';

const SAMPLE = [
  '22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw',
  '40 22 0:35 / /tmp rw,nosuid - tmpfs tmpfs rw,mode=1777',
  '51 40 0:44 / /tmp/zt rw,noatime shared:20 - zfs tank rw,xattr,noacl,casesensitive',
  '52 51 0:45 / /tmp/zt/with\\040space rw - zfs tank/with\\040space rw',
  "53 51 0:46 / /tmp/zt/it's\\040here rw - zfs tank/odd\\134name rw",
  '54 51 0:47 / /tmp/zt/tab\\011and\\012newline rw - zfs tank/t rw',
  '60 51 0:50 / /tmp/zt/nfs rw - nfs4 server:/export rw',
  'garbage line without separator',
].join('\n');

test('octal escapes are decoded (space, tab, newline, backslash)', () => {
  assert.equal(unescapeMountField('a\\040b\\011c\\012d\\134e'), 'a b\tc\nd\\e');
  assert.equal(unescapeMountField('no escapes'), 'no escapes');
});

test('parses fields around the optional-fields separator and skips junk', () => {
  const m = parseMountinfo(SAMPLE);
  assert.equal(m.length, 7);
  const space = m.find((e) => e.mountId === 52)!;
  assert.deepEqual([space.mountPoint, space.fsType, space.source], ['/tmp/zt/with space', 'zfs', 'tank/with space']);
  assert.equal(m.find((e) => e.mountId === 53)!.mountPoint, "/tmp/zt/it's here");
  assert.equal(m.find((e) => e.mountId === 53)!.source, 'tank/odd\\name');
  assert.equal(m.find((e) => e.mountId === 54)!.mountPoint, '/tmp/zt/tab\tand\nnewline');
  assert.equal(zfsMounts(m).length, 4);
});

test('longest-prefix lookup respects path components', () => {
  const m = parseMountinfo(SAMPLE);
  assert.equal(mountForPath(m, '/tmp/zt/with space/file')!.source, 'tank/with space');
  assert.equal(mountForPath(m, '/tmp/zt/with')!.source, 'tank', '/tmp/zt/with is not inside "/tmp/zt/with space"');
  assert.equal(mountForPath(m, '/tmp/zt/nfs/x')!.fsType, 'nfs4');
  assert.equal(mountForPath(m, '/tmp/other')!.fsType, 'tmpfs');
  assert.equal(mountForPath(m, '/etc/passwd')!.fsType, 'ext4');
  assert.equal(isPathWithin('/tank2', '/tank'), false);
  assert.equal(isPathWithin('/tank/a', '/tank'), true);
});

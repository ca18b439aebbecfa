import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareKernel, compareZfs, describeInRange, formatZfs, kernelInRange, parseKernelVersion, parseZfsVersion, zfsInRange,
} from '../../../src/core/knowledge/versions';

function zfs(text: string) {
  const v = parseZfsVersion(text);
  assert.ok(v, `${text} parses`);
  return v;
}

test('OpenZFS version strings as they really appear', () => {
  assert.deepEqual(
    (({ major, minor, patch, rc, release, development }) => ({ major, minor, patch, rc, release, development }))(zfs('2.3.2-2~bpo12+2')),
    { major: 2, minor: 3, patch: 2, rc: undefined, release: '2~bpo12+2', development: false });
  assert.equal(formatZfs(zfs('zfs-kmod-2.3.2-1')), '2.3.2');
  assert.equal(zfs('zfs-kmod-2.3.2-1').release, '1');
  assert.equal(formatZfs(zfs('zfs-2.2.2-0ubuntu9')), '2.2.2');
  assert.equal(zfs('2.3.0-rc5').rc, 5);
  assert.equal(zfs('2.3.0-rc5').release, undefined);
  assert.equal(zfs('2.2.99-365_g8f2f6cd2ac').development, true);
  assert.equal(zfs('2.2.99-365_g8f2f6cd2ac').release, '365_g8f2f6cd2ac');
  assert.equal(zfs('zfs-kmod-2.2.0-FreeBSD_g95785196f').freebsd, true);
  assert.equal(formatZfs(zfs('2.1.5-1ubuntu6~22.04.4')), '2.1.5');
  assert.equal(formatZfs(zfs('0.8.6')), '0.8.6');
  // `zfs version` prints two lines; the first token wins.
  assert.equal(formatZfs(zfs('zfs-2.3.2-1\nzfs-kmod-2.3.1-1')), '2.3.2');
  assert.equal(formatZfs(zfs('  2.3.2-1\n')), '2.3.2');
});

test('garbage is not a version', () => {
  for (const bad of ['', 'zfs', 'unknown', 'v', '-', 'kmod 2', null, undefined]) {
    assert.equal(parseZfsVersion(bad as string), undefined, String(bad));
  }
});

test('ordering: rc before release, numeric not lexical, distro suffix ignored', () => {
  const order = ['0.7.13', '0.8.0', '2.1.14', '2.2.0', '2.2.2', '2.2.11', '2.2.99-1_gabc', '2.3.0-rc1', '2.3.0-rc5', '2.3.0', '2.3.1', '2.3.2-2~bpo12+2', '2.3.10', '2.4.0-rc1', '2.4.0'];
  for (let i = 0; i + 1 < order.length; i++) {
    assert.ok(compareZfs(zfs(order[i]!), zfs(order[i + 1]!)) < 0, `${order[i]} < ${order[i + 1]}`);
  }
  assert.equal(compareZfs(zfs('2.3.2-1'), zfs('2.3.2-2~bpo12+2')), 0);
  assert.equal(compareZfs(zfs('zfs-kmod-2.3.2-1'), zfs('2.3.2')), 0);
});

test('ranges: from inclusive, before exclusive, through inclusive', () => {
  const r = { from: '2.3.0-rc5', before: '2.3.1' };
  assert.equal(zfsInRange(zfs('2.3.0-rc4'), r), false);
  assert.equal(zfsInRange(zfs('2.3.0-rc5'), r), true);
  assert.equal(zfsInRange(zfs('2.3.0-1'), r), true);
  assert.equal(zfsInRange(zfs('2.3.1'), r), false);
  const t = { from: '2.2.1', through: '2.2.11' };
  assert.equal(zfsInRange(zfs('2.2.11-1'), t), true);
  assert.equal(zfsInRange(zfs('2.2.12'), t), false);
  assert.equal(describeInRange('kmod 2.3.2', { from: '2.3.1', before: '2.3.99' }), 'kmod 2.3.2 ≥ 2.3.1', 'the x.y.99 line-end marker is not shown');
  assert.equal(describeInRange('kmod 2.3.0', r), '2.3.0-rc5 ≤ kmod 2.3.0 < 2.3.1');
  assert.equal(describeInRange('kmod 2.2.7', { before: '2.3.0-rc5' }), 'kmod 2.2.7 < 2.3.0-rc5');
});

test('kernel releases', () => {
  const deb = parseKernelVersion('6.12.117+deb12-amd64');
  assert.deepEqual(deb && [deb.major, deb.minor, deb.patch, deb.suffix], [6, 12, 117, '+deb12-amd64']);
  const ubu = parseKernelVersion('5.15.0-119-generic');
  assert.deepEqual(ubu && [ubu.major, ubu.minor, ubu.patch], [5, 15, 0]);
  const rhel = parseKernelVersion('4.18.0-553.el8_10.x86_64');
  assert.deepEqual(rhel && [rhel.major, rhel.minor, rhel.patch], [4, 18, 0]);
  assert.deepEqual(parseKernelVersion('6.8')!.patch, 0);
  assert.equal(parseKernelVersion('14.1-RELEASE-p5'), undefined, 'FreeBSD uname -r is not a Linux release');
  assert.equal(parseKernelVersion('Linux'), undefined);
  assert.ok(compareKernel(parseKernelVersion('6.4.16')!, parseKernelVersion('6.5.0')!) < 0);
  assert.ok(compareKernel(parseKernelVersion('6.12.117+deb12-amd64')!, parseKernelVersion('6.5')!) > 0);
  assert.equal(kernelInRange(parseKernelVersion('5.15.0-119-generic')!, { from: '5.8', before: '6.5' }), true);
  assert.equal(kernelInRange(parseKernelVersion('6.5.0')!, { from: '5.8', before: '6.5' }), false);
  assert.equal(kernelInRange(parseKernelVersion('5.7.19')!, { from: '5.8' }), false);
});

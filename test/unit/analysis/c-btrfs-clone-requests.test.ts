// C: Btrfs's BTRFS_IOC_CLONE and BTRFS_IOC_CLONE_RANGE are the request numbers that the VFS took over
// as FICLONE and FICLONERANGE, so programs written for Btrfs clone on ZFS through them: the same
// sites, and FICLONERANGE's rule on the same struct fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

async function check(text: string): Promise<void> {
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('c', text)), expected.sites);
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expected.findings);
}

test('c: ioctl with BTRFS_IOC_CLONE and BTRFS_IOC_CLONE_RANGE is a clone site; a misaligned range is ZDIO020', async () => {
  await check(`#include <linux/btrfs.h>
#include <sys/ioctl.h>
int clone_whole(int dst, int src)
{
	return ioctl(dst, BTRFS_IOC_CLONE, src); // => ficlone ioctl
}
int clone_part(int dst, int src)
{
	struct btrfs_ioctl_clone_range_args a = { .src_fd = src, .src_offset = 100, .src_length = 4096, .dest_offset = 0 }; // => | ZDIO020
	return ioctl(dst, BTRFS_IOC_CLONE_RANGE, &a); // => ficlone ioctl
}
int clone_blocks(int dst, int src)
{
	struct btrfs_ioctl_clone_range_args a = { .src_fd = src, .src_offset = 0, .src_length = 131072, .dest_offset = 131072 };
	return ioctl(dst, BTRFS_IOC_CLONE_RANGE, &a); // => ficlone ioctl
}
`);
});

test('c: the request spelled by hand with the Btrfs magic is FICLONE; other Btrfs requests are no clone', async () => {
  await check(`#include <sys/ioctl.h>
#define BTRFS_IOCTL_MAGIC 0x94
#define MY_CLONE _IOW(BTRFS_IOCTL_MAGIC, 9, int)
#define MY_SYNC _IO(BTRFS_IOCTL_MAGIC, 8)
int clone_whole(int dst, int src)
{
	return ioctl(dst, MY_CLONE, src); // => ficlone ioctl
}
int sync_fs(int fd)
{
	ioctl(fd, BTRFS_IOC_SYNC, 0);
	return ioctl(fd, MY_SYNC, 0);
}
`);
});

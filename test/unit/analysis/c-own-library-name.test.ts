// C: a file that defines its own function under a library call's name (a `copy_file_range()` wrapper
// around syscall() on an old libc) calls that function, not the library: its calls are a helper's
// calls, and the library call inside it is the site (lkfeval's copy_file_range timing program).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

test('c: calls of the file\'s own copy_file_range() are calls of a helper; the syscall inside it is the site', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
static loff_t copy_file_range(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len, unsigned int flags)
{
	return syscall(__NR_copy_file_range, fd_in, off_in, fd_out, off_out, len, flags); // => copy_file_range syscall(__NR_copy_file_range)
}
int main(int argc, char **argv)
{
	int in = open(argv[1], O_RDONLY), out = open(argv[2], O_WRONLY | O_CREAT, 0644);
	loff_t a = 0, b = 0;
	if (copy_file_range(in, &a, out, &b, 65536, 0) < 0) // => | ZDIO010
		return 1;
	return copy_file_range(in, &a, out, &b, 131072, 0) < 0;
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('c', text)), expected.sites);
  assert.deepEqual(findingKeys(r), expected.findings);
});

test('c: without a definition of its own, copy_file_range() is the library call, declared or not', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
extern ssize_t copy_file_range(int, loff_t *, int, loff_t *, size_t, unsigned int);
int main(int argc, char **argv)
{
	int in = open(argv[1], O_RDONLY), out = open(argv[2], O_WRONLY | O_CREAT, 0644);
	loff_t a = 0, b = 0;
	return copy_file_range(in, &a, out, &b, 65536, 0) < 0; // => copy_file_range copy_file_range | ZDIO010
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('c', text)), expected.sites);
  assert.deepEqual(findingKeys(r), expected.findings);
});

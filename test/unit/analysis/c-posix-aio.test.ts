// C: POSIX AIO on an O_DIRECT descriptor. aio_read/aio_write take one struct aiocb whose fields are the
// request's descriptor, buffer, length and offset; the alignment rules of pread/pwrite apply to them,
// each judged where its field is set.
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

const HEADER = `#define _GNU_SOURCE
#include <aio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
static char page[4096] __attribute__((aligned(4096)));
`;

test('c: aio_write of an aiocb filled field by field on an O_DIRECT descriptor: each misaligned field is flagged', async () => {
  await check(`${HEADER}
int submit(const char *p)
{
	int fd = open(p, O_RDWR | O_DIRECT); // => o_direct_open open
	struct aiocb cb;
	memset(&cb, 0, sizeof(cb));
	cb.aio_fildes = fd;
	cb.aio_buf = malloc(100); // => | ZDIO001
	cb.aio_nbytes = 100; // => | ZDIO002
	cb.aio_offset = 512; // => | ZDIO003
	return aio_write(&cb); // => o_direct_io aio_write
}
`);
});

test('c: aio_read of a designated initializer with an aligned page at 0 is a quiet site', async () => {
  await check(`${HEADER}
int submit(const char *p)
{
	int fd = open(p, O_RDONLY | O_DIRECT); // => o_direct_open open
	struct aiocb cb = { .aio_fildes = fd, .aio_buf = page, .aio_nbytes = sizeof(page), .aio_offset = 0 };
	return aio_read(&cb); // => o_direct_io aio_read
}
`);
});

test('c: aio_write on a buffered descriptor, or of an aiocb the function did not fill, is no site', async () => {
  await check(`${HEADER}
int buffered(const char *p)
{
	int fd = open(p, O_RDWR);
	struct aiocb *cb = calloc(1, sizeof(*cb));
	cb->aio_fildes = fd;
	cb->aio_buf = malloc(100);
	cb->aio_nbytes = 100;
	return aio_write(cb);
}
int direct(const char *p, struct aiocb *given)
{
	int fd = open(p, O_RDWR | O_DIRECT); // => o_direct_open open
	(void)fd;
	return aio_write(given);
}
`);
});

// C and C++: kernel AIO control blocks filled in by hand (`cb->aio_lio_opcode = IOCB_CMD_PWRITE`, then
// the descriptor, buffer, length and offset fields) and submitted through the raw io_submit syscall
// are O_DIRECT I/O on an O_DIRECT descriptor, as io_uring SQEs filled by hand are. In C++ the
// descriptor may come from the constructor of a struct derived from iocb (`new IOBlock(fd)`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS, type Language } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

async function check(language: Language, text: string): Promise<void> {
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts(language, text)), expected.sites);
  const r = await analyzeText(text, language, DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expected.findings);
}

test('c: a kernel iocb filled field by field on an O_DIRECT descriptor is a site, each field judged', async () => {
  await check('c', `#include <fcntl.h>
#include <linux/aio_abi.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
static char small[100];
long submit(aio_context_t ctx, const char *path)
{
	int fd = open(path, O_WRONLY | O_DIRECT); // => o_direct_open open
	struct iocb cb, *list[1] = { &cb };
	memset(&cb, 0, sizeof(cb));
	cb.aio_fildes = fd;
	cb.aio_lio_opcode = IOCB_CMD_PWRITE; // => o_direct_io IOCB_CMD_PWRITE
	cb.aio_buf = (uint64_t)(uintptr_t)small; // => | ZDIO001
	cb.aio_nbytes = sizeof(small); // => | ZDIO002
	cb.aio_offset = 0;
	return syscall(__NR_io_submit, ctx, 1, list);
}
long buffered(aio_context_t ctx, const char *path)
{
	int fd = open(path, O_WRONLY);
	struct iocb cb, *list[1] = { &cb };
	memset(&cb, 0, sizeof(cb));
	cb.aio_fildes = fd;
	cb.aio_lio_opcode = IOCB_CMD_PWRITE;
	cb.aio_buf = (uint64_t)(uintptr_t)small;
	cb.aio_nbytes = sizeof(small);
	return syscall(__NR_io_submit, ctx, 1, list);
}
`);
});

test('c: libaio\'s own iocb filled by hand (IO_CMD_PREAD, u.c fields) is read the same way', async () => {
  await check('c', `#include <fcntl.h>
#include <libaio.h>
int submit(io_context_t ctx, const char *path, void *page)
{
	int fd = open(path, O_RDONLY | O_DIRECT); // => o_direct_open open
	struct iocb cb, *list[1] = { &cb };
	cb.aio_fildes = fd;
	cb.aio_lio_opcode = IO_CMD_PREAD; // => o_direct_io IO_CMD_PREAD
	cb.u.c.buf = page;
	cb.u.c.nbytes = 4096;
	cb.u.c.offset = 512; // => | ZDIO003
	return io_submit(ctx, 1, list);
}
`);
});

const block = (ctors: string, after = ''): string => `#include <fcntl.h>
#include <linux/aio_abi.h>
#include <cstdint>
#include <cstring>
struct IOBlock : iocb {
${ctors}
};
long submit_one(iocb *io);
long write_page(const char *path, int other, const void *data)
{
	int fd = ::open(path, O_WRONLY | O_DIRECT); // => o_direct_open ::open
	IOBlock *io = new IOBlock(fd);
${after}	io->aio_lio_opcode = IOCB_CMD_PWRITE; // => MARK
	io->aio_buf = reinterpret_cast<uint64_t>(data);
	io->aio_nbytes = 4096;
	io->aio_offset = 512;
	return submit_one(io);
}
`;

test('cpp: the descriptor a struct derived from iocb gets from its one constructor is the construction\'s argument', async () => {
  const one = '\texplicit IOBlock(int fd) {\n\t\tmemset(static_cast<iocb *>(this), 0, sizeof(iocb));\n\t\taio_fildes = static_cast<uint32_t>(fd);\n\t}';
  await check('cpp', block(one).replace('// => MARK', '// => o_direct_io IOCB_CMD_PWRITE').replace('io->aio_offset = 512;', 'io->aio_offset = 512; // => | ZDIO003'));
});

test('cpp: no such descriptor with two constructors, or when the function sets the field again', async () => {
  const one = '\texplicit IOBlock(int fd) { aio_fildes = fd; }';
  const two = `${one}\n\tIOBlock(int fd, int) { aio_fildes = fd + 1; }`;
  await check('cpp', block(two).replace(' // => MARK', ''));
  await check('cpp', block(one, '\tio->aio_fildes = other;\n').replace(' // => MARK', ''));
});

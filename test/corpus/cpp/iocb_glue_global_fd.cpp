// Pattern: the C++ libaio glue of a verified key-value store, where generated code calls small functions that take the iocb and buffer as uintptr_t and prepare reads and writes on one global descriptor, opened with an O_DIRECT_FLAG macro that a USE_DIRECT build switch turns into O_DIRECT (modelled on the Dafny framework glue with iocb__prepare__read(), iocb__prepare__write(), async__submit() and sync__read() over a global fd).
// zdio-category: header-macro
#include <libaio.h>
#include <fcntl.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#define O_DIRECT_FLAG (0)
#if USE_DIRECT
#ifdef O_DIRECT
#undef O_DIRECT_FLAG
#define O_DIRECT_FLAG O_DIRECT
#endif
#endif

static_assert(sizeof(uintptr_t) == 8, "64-bit pointers");

io_context_t ctx;
int fd = 0;

uintptr_t new__iocb()
{
	return reinterpret_cast<uintptr_t>(new iocb);
}

void iocb__prepare__read(uintptr_t i, int64_t offset, uint64_t nbytes, uintptr_t buf)
{
	io_prep_pread(reinterpret_cast<iocb *>(i), fd, reinterpret_cast<void *>(buf), nbytes, offset); // zdio-expect-site: o_direct_io
}

void iocb__prepare__write(uintptr_t i, int64_t offset, uint64_t nbytes, uintptr_t buf)
{
	io_prep_pwrite(reinterpret_cast<iocb *>(i), fd, reinterpret_cast<void *>(buf), nbytes, offset); // zdio-expect-site: o_direct_io
}

void async__submit(uintptr_t i)
{
	iocb *iocb_ptr = reinterpret_cast<iocb *>(i);
	int ret = io_submit(ctx, 1, &iocb_ptr);
	assert(ret == 1);
}

#define async__read async__submit
#define async__write async__submit

void sync__read(uintptr_t buf, uint64_t nbytes, int64_t offset)
{
	ssize_t r = pread(fd, reinterpret_cast<void *>(buf), nbytes, offset); // zdio-expect-site: o_direct_io
	if (r < 0)
		perror("pread");
}

void wait__event()
{
	struct io_event event;
	int status = io_getevents(ctx, 1, 1, &event, nullptr);
	assert(status == 1);
	assert(static_cast<long>(event.res) >= 0);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "betree.img";

	fd = open(path, O_RDWR | O_CREAT | O_DIRECT_FLAG | O_DSYNC, 0644); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror(path);
		return 1;
	}
	if (io_setup(100, &ctx) != 0)
		return 1;

	uintptr_t node = reinterpret_cast<uintptr_t>(aligned_alloc(4096, 131072));
	uintptr_t page = reinterpret_cast<uintptr_t>(aligned_alloc(4096, 4096));
	char superblock[27] = "abcdefghijklmnopqrstuvwxyz";

	uintptr_t a = new__iocb();
	iocb__prepare__write(a, 0, 131072, node); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
	async__write(a);
	wait__event();

	uintptr_t b = new__iocb();
	iocb__prepare__write(b, 131072, 4096, page); // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	async__write(b);
	wait__event();

	uintptr_t c = new__iocb();
	iocb__prepare__write(c, 262144, 26, reinterpret_cast<uintptr_t>(superblock)); // zdio-expect: ZDIO001, ZDIO002, zdio-expect-none: ZDIO003
	async__write(c);
	wait__event();

	uintptr_t d = new__iocb();
	iocb__prepare__read(d, 0, 131072, node); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	async__read(d);
	wait__event();

	sync__read(page, 4096, 512); // zdio-expect: ZDIO003, zdio-expect-none: ZDIO001, ZDIO002
	sync__read(node, 131072, 131072); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003

	io_destroy(ctx);
	close(fd);
	return 0;
}

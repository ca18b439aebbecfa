// Pattern: a WAL sync-method benchmark whose open_direct() helper ORs O_DIRECT into the caller's flags, writes from a static array rounded up to the block size with a TYPEALIGN-style macro, and a per-size test called with 16, 8, 4, 2 and 1 kB (modelled on PostgreSQL's src/bin/pg_test_fsync/pg_test_fsync.c, open_direct() and test_open_sync()).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WAL_BLOCK 8192
#define WAL_SEGMENT (16 * 1024 * 1024)
#define ALIGN_UP_TO(alignval, len) \
	(((uintptr_t)(len) + ((alignval) - 1)) & ~((uintptr_t)((alignval) - 1)))

static const char *target = "./sync_methods.out";
static char segment_image[WAL_SEGMENT + WAL_BLOCK];
static char *block;  /* the first WAL_BLOCK boundary inside segment_image */

static void fail(const char *what)
{
	fprintf(stderr, "sync_methods: %s: %s\n", what, strerror(errno));
	unlink(target);
	exit(1);
}

static void fill_image(void)
{
	for (size_t i = 0; i < sizeof(segment_image); i++)
		segment_image[i] = (char)(rand() & 0xff);
	block = (char *)ALIGN_UP_TO(WAL_BLOCK, segment_image);
}

/* Direct I/O for the open_* methods, as the server would use it. */
static int open_direct(const char *path, int flags, mode_t mode)
{
#ifdef O_DIRECT
	flags |= O_DIRECT;
#endif
	return open(path, flags, mode); // zdio-expect-site: o_direct_open
}

static void create_target(void)
{
	int fd = open(target, O_RDWR | O_CREAT, S_IRUSR | S_IWUSR);

	if (fd < 0)
		fail("create");
	if (write(fd, segment_image, WAL_SEGMENT) != WAL_SEGMENT) // zdio-expect-none: o_direct_io, ZDIO001
		fail("fill");
	if (fsync(fd) != 0)
		fail("fsync");
	close(fd);
}

static void one_block_per_op(void)
{
	int fd = open_direct(target, O_RDWR | O_DSYNC, 0);

	if (fd < 0) {
		printf("open_datasync: n/a (no direct I/O here)\n");
		return;
	}
	if (pwrite(fd, block, WAL_BLOCK, 0) != WAL_BLOCK) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001
		fail("open_datasync write");
	if (pwrite(fd, block, WAL_BLOCK, WAL_BLOCK) != WAL_BLOCK) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
		fail("open_datasync second write");
	close(fd);
}

static void buffered_fdatasync(void)
{
	int fd = open(target, O_RDWR, 0);

	if (fd < 0)
		fail("open");
	if (pwrite(fd, block, WAL_BLOCK, 0) != WAL_BLOCK) // zdio-expect-none: o_direct_io, ZDIO004
		fail("fdatasync write");
	fdatasync(fd);
	close(fd);
}

/* One write of kb kilobytes at the start of the file, through a direct descriptor. */
static void open_sync_size(const char *label, int kb)
{
	int fd = open_direct(target, O_RDWR | O_SYNC, 0);

	printf("%-32s", label);
	if (fd < 0) {
		printf("n/a\n");
		return;
	}
	if (pwrite(fd, block, kb * 1024, 0) != kb * 1024) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		fail("open_sync write");
	close(fd);
	printf("done\n");
}

int main(int argc, char **argv)
{
	if (argc > 1)
		target = argv[1];
	fill_image();
	create_target();
	one_block_per_op();
	buffered_fdatasync();
	open_sync_size(" 1 * 16kB open_sync write", 16); // zdio-expect: ZDIO004
	open_sync_size(" 2 *  8kB open_sync writes", 8); // zdio-expect: ZDIO004
	open_sync_size(" 4 *  4kB open_sync writes", 4); // zdio-expect: ZDIO004
	open_sync_size(" 8 *  2kB open_sync writes", 2); // zdio-expect: ZDIO002
	open_sync_size("16 *  1kB open_sync writes", 1); // zdio-expect: ZDIO002
	unlink(target);
	return 0;
}

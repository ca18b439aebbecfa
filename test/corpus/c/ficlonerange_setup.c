// Pattern: a clone test whose struct file_clone_range lives behind a file-scope pointer to a guarded buffer, filled field by field through the pointer in setup() and used by FICLONE and FICLONERANGE in run(), plus an error-case table of descriptor pointers (modelled on LTP's testcases/kernel/syscalls/ioctl/ioctl_ficlone02.c, ioctl_ficlone03.c and include/lapi/ficlone.h).
// zdio-category: file-scope-state
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef FICLONE
# define FICLONE _IOW(0x94, 9, int)
#endif
#ifndef FICLONERANGE
struct file_clone_range {
	int64_t src_fd;
	uint64_t src_offset;
	uint64_t src_length;
	uint64_t dest_offset;
};
# define FICLONERANGE _IOW(0x94, 13, struct file_clone_range)
#endif

#define SRCPATH "mnt/file0"
#define DSTPATH "mnt/file1"
#define CLONE_CHUNK (64 * 1024)

static struct file_clone_range *clone_range;
static int src_fd = -1;
static int dst_fd = -1;
static int invalid_fd = -1;

static struct tcase {
	int *src;
	int *dst;
	int errno_exp;
	const char *msg;
} tcases[] = {
	{ &invalid_fd, &dst_fd, EBADF, "invalid source" },
	{ &src_fd, &invalid_fd, EBADF, "invalid destination" },
};

static void die(const char *what)
{
	fprintf(stderr, "TBROK: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void *guarded_alloc(size_t size)
{
	void *p = calloc(1, size);

	if (!p)
		die("calloc");
	return p;
}

static void setup(void)
{
	clone_range = guarded_alloc(sizeof(*clone_range));
	clone_range->src_offset = 0;
	clone_range->src_length = CLONE_CHUNK; // zdio-expect: ZDIO020
	clone_range->dest_offset = 0;
}

static void expect_fail(int ret, int err, const char *msg)
{
	if (ret != -1 || errno != err)
		printf("TFAIL: %s: got %d/%s\n", msg, ret, strerror(errno));
	else
		printf("TPASS: %s\n", msg);
}

static void run(void)
{
	src_fd = open(SRCPATH, O_CREAT | O_RDWR, 0640);
	dst_fd = open(DSTPATH, O_CREAT | O_RDWR, 0640);
	if (src_fd < 0 || dst_fd < 0)
		die("open");

	clone_range->src_fd = src_fd;
	expect_fail(ioctl(dst_fd, FICLONE, src_fd), EOPNOTSUPP, "FICLONE"); // zdio-expect-site: ficlone
	expect_fail(ioctl(dst_fd, FICLONERANGE, clone_range), EOPNOTSUPP, "FICLONERANGE"); // zdio-expect-site: ficlone

	for (size_t i = 0; i < sizeof(tcases) / sizeof(tcases[0]); i++) {
		struct tcase *tc = &tcases[i];

		expect_fail(ioctl(*tc->dst, FICLONE, *tc->src), tc->errno_exp, tc->msg); // zdio-expect-site: ficlone
	}
	close(src_fd);
	close(dst_fd);
}

int main(void)
{
	setup();
	run();
	free(clone_range);
	return 0;
}

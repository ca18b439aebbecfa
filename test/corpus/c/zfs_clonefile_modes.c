// Pattern: a clone test tool with one function per mode (FICLONE, FICLONERANGE, copy_file_range, copy_file_range with a clone flag, FIDEDUPERANGE), the clone numbers and copy_file_range spelled through CF_ aliases and a weak-symbol wrapper, driven by a fixed sequence of ranges (modelled on OpenZFS's tests/zfs-tests/cmd/clonefile.c and the ranges its block-cloning tests pass to it).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/fs.h>

#define CF_FICLONE FICLONE
#define CF_FICLONERANGE FICLONERANGE
#define CF_FIDEDUPERANGE FIDEDUPERANGE
#define CF_COPY_CLONE_FLAG 0

ssize_t copy_file_range(int, off_t *, int, off_t *, size_t, unsigned int) __attribute__((weak));

static ssize_t cf_copy_file_range(int sfd, off_t *soff, int dfd, off_t *doff, size_t len, unsigned int flags)
{
	if (copy_file_range)
		return copy_file_range(sfd, soff, dfd, doff, len, flags); // zdio-expect-site: copy_file_range
	return syscall(__NR_copy_file_range, sfd, soff, dfd, doff, len, flags); // zdio-expect-site: copy_file_range
}

static int quiet;

static int clone_whole(int sfd, int dfd)
{
	if (ioctl(dfd, CF_FICLONE, sfd) < 0) { // zdio-expect-site: ficlone
		fprintf(stderr, "ioctl(FICLONE): %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int clone_range(int sfd, int dfd, off_t soff, off_t doff, size_t len)
{
	struct file_clone_range fcr = {
		.src_fd = sfd,
		.src_offset = soff,
		.src_length = len,
		.dest_offset = doff,
	};
	if (!quiet)
		fprintf(stderr, "using FICLONERANGE\n");
	if (ioctl(dfd, CF_FICLONERANGE, &fcr) < 0) { // zdio-expect-site: ficlone
		fprintf(stderr, "ioctl(FICLONERANGE): %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int copy_range_impl(int sfd, int dfd, off_t soff, off_t doff, size_t len, unsigned int flags, const char *name)
{
	ssize_t copied = cf_copy_file_range(sfd, &soff, dfd, &doff, len, flags);
	if (copied < 0) {
		fprintf(stderr, "%s: %s\n", name, strerror(errno));
		return -1;
	}
	if ((size_t)copied != len) {
		fprintf(stderr, "%s: short copy %zd of %zu\n", name, copied, len);
		return -1;
	}
	return 0;
}

static int copy_range(int sfd, int dfd, off_t soff, off_t doff, size_t len)
{
	return copy_range_impl(sfd, dfd, soff, doff, len, 0, "copy_file_range");
}

static int copy_range_clone(int sfd, int dfd, off_t soff, off_t doff, size_t len)
{
	return copy_range_impl(sfd, dfd, soff, doff, len, CF_COPY_CLONE_FLAG, "copy_file_range(CLONE)");
}

static int dedupe_range(int sfd, int dfd, off_t soff, off_t doff, size_t len)
{
	char buf[sizeof(struct file_dedupe_range) + sizeof(struct file_dedupe_range_info)] = { 0 };
	struct file_dedupe_range *fdr = (struct file_dedupe_range *)buf;
	struct file_dedupe_range_info *info = (struct file_dedupe_range_info *)&buf[sizeof(*fdr)];

	fdr->src_offset = soff;
	fdr->src_length = len;
	fdr->dest_count = 1;
	info->dest_fd = dfd;
	info->dest_offset = doff;
	if (ioctl(sfd, CF_FIDEDUPERANGE, fdr) != 0) // zdio-expect-none: ficlone
		return -1;
	return info->status == FILE_DEDUPE_RANGE_SAME ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s <src> <dst>\n", argv[0]);
		return 2;
	}
	quiet = getenv("CLONEFILE_QUIET") != NULL;
	int sfd = open(argv[1], O_RDONLY);
	if (sfd < 0)
		return 1;
	int dfd = open(argv[2], O_RDWR | O_CREAT, 0644);
	if (dfd < 0) {
		close(sfd);
		return 1;
	}

	int failures = 0;
	failures += clone_whole(sfd, dfd) != 0;
	failures += clone_range(sfd, dfd, 0, 0, 131072) != 0; // zdio-expect-none: ZDIO020
	failures += clone_range(sfd, dfd, 0, 131072, 262144) != 0; // zdio-expect-none: ZDIO020
	failures += clone_range(sfd, dfd, 4096, 0, 131072) != 0; // zdio-expect: ZDIO020
	failures += clone_range(sfd, dfd, 0, 0, 65536) != 0; // zdio-expect: ZDIO020
	failures += copy_range(sfd, dfd, 0, 0, 262144) != 0; // zdio-expect-none: ZDIO010
	failures += copy_range(sfd, dfd, 131072, 0, 100000) != 0; // zdio-expect: ZDIO010
	failures += copy_range_clone(sfd, dfd, 0, 8192, 131072) != 0; // zdio-expect: ZDIO010
	failures += dedupe_range(sfd, dfd, 0, 0, 131072) != 0;

	close(dfd);
	close(sfd);
	return failures ? 1 : 0;
}

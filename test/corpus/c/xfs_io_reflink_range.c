// Pattern: the range-sharing commands of a file-system exerciser: reflink fills a struct file_clone_range from the command's offsets and length and calls FICLONERANGE (whole-file FICLONE when no range is given), dedupe builds a variable-length file_dedupe_range for FIDEDUPERANGE, and copy_range loops copy_file_range over explicit offsets until the length is done, looking at every result; a self-test runs the ranges a test script would pass (modelled on xfsprogs' io/reflink.c reflink_ioctl() and dedupe_ioctl(), io/copy_file_range.c copy_file_range_cmd(), and the way fstests' common/reflink drives them).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/fs.h>

static int reflink_ioctl(int fd, int src_fd, off_t soffset, off_t doffset, long long len)
{
	struct file_clone_range fcr;

	if (len == 0 && soffset == 0 && doffset == 0)
		return ioctl(fd, FICLONE, src_fd); // zdio-expect-site: ficlone

	fcr.src_fd = src_fd;
	fcr.src_offset = (uint64_t)soffset;
	fcr.src_length = (uint64_t)len;
	fcr.dest_offset = (uint64_t)doffset;
	return ioctl(fd, FICLONERANGE, &fcr); // zdio-expect-site: ficlone
}

static long long dedupe_ioctl(int fd, int src_fd, off_t soffset, off_t doffset, long long len)
{
	struct file_dedupe_range *fdr;
	long long deduped = 0;

	fdr = calloc(1, sizeof(*fdr) + sizeof(struct file_dedupe_range_info));
	if (!fdr)
		return -ENOMEM;
	fdr->src_offset = (uint64_t)soffset;
	fdr->src_length = (uint64_t)len;
	fdr->dest_count = 1;
	fdr->info[0].dest_fd = fd;
	fdr->info[0].dest_offset = (uint64_t)doffset;
	if (ioctl(src_fd, FIDEDUPERANGE, fdr) < 0) // zdio-expect-none: ficlone
		deduped = -errno;
	else if (fdr->info[0].status == FILE_DEDUPE_RANGE_SAME)
		deduped = (long long)fdr->info[0].bytes_deduped;
	free(fdr);
	return deduped;
}

static int copy_file_range_cmd(int fd, int src_fd, loff_t *src_off, loff_t *dst_off, size_t len)
{
	while (len > 0) {
		ssize_t ret = copy_file_range(src_fd, src_off, fd, dst_off, len, 0); // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO012
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (ret == 0)
			break;
		len -= (size_t)ret;
	}
	return 0;
}

static int copy_range(int fd, int src_fd, loff_t src, loff_t dst, size_t len)
{
	return copy_file_range_cmd(fd, src_fd, &src, &dst, len);
}

int main(int argc, char **argv)
{
	int src_fd, fd, failed = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SOURCE TARGET\n", argv[0]);
		return 2;
	}
	src_fd = open(argv[1], O_RDONLY);
	fd = open(argv[2], O_RDWR | O_CREAT, 0644);
	if (src_fd < 0 || fd < 0) {
		perror("open");
		return 1;
	}

	failed |= reflink_ioctl(fd, src_fd, 0, 0, 0) < 0; // zdio-expect-none: ZDIO020
	failed |= reflink_ioctl(fd, src_fd, 131072, 262144, 131072) < 0; // zdio-expect-none: ZDIO020
	failed |= reflink_ioctl(fd, src_fd, 0, 0, 65536) < 0; // zdio-expect: ZDIO020
	failed |= reflink_ioctl(fd, src_fd, 4096, 4096, 131072) < 0; // zdio-expect: ZDIO020
	failed |= dedupe_ioctl(fd, src_fd, 4096, 8192, 4096) < 0; // zdio-expect-none: ZDIO020, ZDIO010
	failed |= copy_range(fd, src_fd, 0, 524288, 262144) != 0; // zdio-expect-none: ZDIO010, ZDIO011
	failed |= copy_range(fd, src_fd, 65536, 0, 131072) != 0; // zdio-expect: ZDIO010
	failed |= copy_range(fd, src_fd, 0, 0, 100000) != 0; // zdio-expect: ZDIO010
	close(src_fd);
	return close(fd) == 0 && !failed ? 0 : 1;
}

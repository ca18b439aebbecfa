// Pattern: a file copier that first tries a whole-file reflink, then a range reflink through a helper that fills struct file_clone_range from its parameters, then a copy_file_range loop through a wrapper that remembers ENOSYS, with a fixed chunk size, and a read/write fallback; callers copy whole images, a partition's data and a small header (modelled on systemd's src/shared/copy.c, try_copy_file_range(), reflink() and reflink_range() in src/basic/fs-util.c, and systemd-repart's partition copies).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/fs.h>

#define COPY_BUFFER_SIZE (16U * 1024U)
#define GPT_HEADER_BYTES (34U * 512U)
#define PARTITION_START (1024ULL * 1024ULL)
#define PARTITION_BYTES (64ULL * 1024ULL * 1024ULL)

typedef enum {
	COPY_REFLINK = 1 << 0,
	COPY_SPARSE = 1 << 1,
} CopyFlags;

static ssize_t try_copy_file_range(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len, unsigned flags)
{
	static int have = -1;
	ssize_t r;

	if (have == 0)
		return -ENOSYS;
	r = copy_file_range(fd_in, off_in, fd_out, off_out, len, flags); // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO012
	if (have < 0)
		have = r >= 0 || errno != ENOSYS;
	if (r < 0)
		return -errno;
	return r;
}

static int reflink(int infd, int outfd)
{
	if (ioctl(outfd, FICLONE, infd) < 0) // zdio-expect-site: ficlone
		return -errno;
	return 0;
}

static int reflink_range(int infd, uint64_t in_offset, int outfd, uint64_t out_offset, uint64_t sz)
{
	struct file_clone_range args = {
		.src_fd = infd,
		.src_offset = in_offset,
		.src_length = sz,
		.dest_offset = out_offset,
	};

	if (ioctl(outfd, FICLONERANGE, &args) < 0) // zdio-expect-site: ficlone
		return -errno;
	return 0;
}

static int copy_loop(int fdf, int fdt, uint64_t max_bytes)
{
	bool try_cfr = true;
	char buf[COPY_BUFFER_SIZE];

	while (max_bytes > 0) {
		size_t m = COPY_BUFFER_SIZE;
		ssize_t n;

		if (max_bytes != UINT64_MAX && m > max_bytes)
			m = (size_t)max_bytes;

		if (try_cfr) {
			n = try_copy_file_range(fdf, NULL, fdt, NULL, m, 0u); // zdio-expect: ZDIO010
			if (n < 0) {
				if (n != -EINVAL && n != -ENOSYS && n != -EXDEV && n != -EBADF && n != -EOPNOTSUPP)
					return (int)n;
				try_cfr = false;
			} else if (n == 0) {
				return 0;
			} else {
				goto next;
			}
		}

		n = read(fdf, buf, m);
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		if (write(fdt, buf, (size_t)n) != n)
			return -EIO;
	next:
		if (max_bytes != UINT64_MAX)
			max_bytes -= (uint64_t)n;
	}
	return 0;
}

static int copy_bytes(int fdf, int fdt, uint64_t max_bytes, CopyFlags flags)
{
	if (flags & COPY_REFLINK) {
		if (max_bytes == UINT64_MAX) {
			if (reflink(fdf, fdt) >= 0)
				return 0;
		}
	}
	return copy_loop(fdf, fdt, max_bytes);
}

static int copy_partition(int fdf, int fdt)
{
	int r = reflink_range(fdf, PARTITION_START, fdt, 0, PARTITION_BYTES); // zdio-expect-none: ZDIO020
	if (r >= 0)
		return 0;
	fprintf(stderr, "reflink of partition data failed: %s\n", strerror(-r));
	if (lseek(fdf, (off_t)PARTITION_START, SEEK_SET) < 0)
		return -errno;
	return copy_loop(fdf, fdt, PARTITION_BYTES);
}

static int copy_gpt_header(int fdf, int fdt)
{
	return reflink_range(fdf, 0, fdt, 0, GPT_HEADER_BYTES); // zdio-expect: ZDIO020
}

int main(int argc, char **argv)
{
	int fdf, fdt, r;

	if (argc != 4) {
		fprintf(stderr, "usage: %s image|partition|header SRC DST\n", argv[0]);
		return 2;
	}
	fdf = open(argv[2], O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fdf < 0)
		return 1;
	fdt = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fdt < 0)
		return 1;

	if (strcmp(argv[1], "image") == 0)
		r = copy_bytes(fdf, fdt, UINT64_MAX, COPY_REFLINK);
	else if (strcmp(argv[1], "partition") == 0)
		r = copy_partition(fdf, fdt);
	else
		r = copy_gpt_header(fdf, fdt);
	if (r < 0)
		fprintf(stderr, "copy failed: %s\n", strerror(-r));
	close(fdf);
	close(fdt);
	return r < 0;
}

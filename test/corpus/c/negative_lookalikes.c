// Pattern: code that names O_DIRECT, copy_file_range and clone ioctls without being a site: a flag test, clearing O_DIRECT, a dispatch table member, a dedupe ioctl, messages and a buffered read (modelled on FUSE servers' copy_file_range operation, e.g. go-fuse's RawFileSystem.CopyFileRange, and minio's DisableDirectIO, which clears O_DIRECT with F_SETFL).
// zdio-category: negative
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fs.h>

struct fs_operations {
	ssize_t (*copy_file_range)(const char *in, off_t off_in, const char *out, off_t off_out, size_t len, int flags);
	int (*ioctl)(const char *path, unsigned int cmd, void *arg);
	int (*open)(const char *path, int flags);
};

/* Tells whether a descriptor was opened for direct I/O; changes nothing. */
static int is_direct(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	return flags >= 0 && (flags & O_DIRECT) != 0;
}

static int clear_direct(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return -1;
	return fcntl(fd, F_SETFL, flags & ~O_DIRECT); // zdio-expect-none: o_direct_open
}

static ssize_t forward_copy(const struct fs_operations *ops, const char *in, const char *out, size_t len)
{
	return ops->copy_file_range(in, 0, out, 0, len, 0); // zdio-expect-none: copy_file_range
}

static int forward_open(const struct fs_operations *ops, const char *path)
{
	return ops->open(path, O_RDONLY | O_DIRECT); // zdio-expect-none: o_direct_open
}

static int dedupe(int src_fd, int dst_fd, size_t len)
{
	struct file_dedupe_range *r = calloc(1, sizeof(*r) + sizeof(struct file_dedupe_range_info));
	int ret;

	if (!r)
		return -1;
	r->src_offset = 0;
	r->src_length = len;
	r->dest_count = 1;
	r->info[0].dest_fd = dst_fd;
	r->info[0].dest_offset = 0;
	ret = ioctl(src_fd, FIDEDUPERANGE, r); // zdio-expect-none: ficlone
	free(r);
	return ret;
}

int main(int argc, char **argv)
{
	char buf[100];
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE (try O_DIRECT, copy_file_range or FICLONE on it)\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY); // zdio-expect-none: o_direct_open
	if (fd < 0)
		return 1;
	printf("%s: O_DIRECT is %s\n", argv[1], is_direct(fd) ? "on" : "off");
#ifdef O_DIRECT
	printf("this libc defines O_DIRECT as %#o\n", O_DIRECT);
#endif
	if (read(fd, buf, sizeof(buf)) < 0) // zdio-expect-none: o_direct_io
		perror("read");
	clear_direct(fd);
	(void)forward_copy;
	(void)forward_open;
	(void)dedupe;
	close(fd);
	return 0;
}

// Pattern: a copy utility that tries a whole-file clone first, then a copy_file_range loop with every error handled, then read/write (modelled on GNU coreutils' src/copy.c, clone_file() and sparse_copy()).
// zdio-category: negative
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef FICLONE
#define FICLONE _IOW (0x94, 9, int)
#endif

#define IO_BUFSIZE (256 * 1024)
#define MIN(a, b) ((a) < (b) ? (a) : (b))

static int clone_file(int dest_fd, int src_fd)
{
	return ioctl(dest_fd, FICLONE, src_fd); // zdio-expect-site: ficlone
}

/* Copies up to max_n_read bytes; returns false on error with *total_n_read what was copied. */
static bool sparse_copy(int src_fd, int dest_fd, char *buf, size_t buf_size, uintmax_t max_n_read, off_t *total_n_read)
{
	bool try_cfr = true;

	*total_n_read = 0;
	while (max_n_read) {
		ssize_t n_read;

		if (try_cfr) {
			n_read = copy_file_range(src_fd, NULL, dest_fd, NULL, MIN(max_n_read, SSIZE_MAX), 0); // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO012
			if (n_read == 0) {
				/* Zero may mean EOF or a file system that copies nothing: fall back once. */
				if (*total_n_read == 0) {
					try_cfr = false;
					continue;
				}
				break;
			}
			if (n_read < 0) {
				if (errno == ENOSYS || errno == EXDEV || errno == EINVAL || errno == EOPNOTSUPP || errno == EBADF || errno == ETXTBSY || errno == EPERM) {
					try_cfr = false;
					continue;
				}
				return false;
			}
		} else {
			n_read = read(src_fd, buf, MIN(max_n_read, buf_size));
			if (n_read < 0) {
				if (errno == EINTR)
					continue;
				return false;
			}
			if (n_read == 0)
				break;
			if (write(dest_fd, buf, n_read) != n_read)
				return false;
		}
		max_n_read -= n_read;
		*total_n_read += n_read;
	}
	return true;
}

int main(int argc, char **argv)
{
	char *buf;
	off_t copied;
	int src, dst;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SOURCE DEST\n", argv[0]);
		return 2;
	}
	src = open(argv[1], O_RDONLY);
	dst = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (src < 0 || dst < 0) {
		perror("open");
		return 1;
	}
	if (clone_file(dst, src) == 0)
		return 0;
	buf = malloc(IO_BUFSIZE);
	if (!buf)
		return 1;
	if (!sparse_copy(src, dst, buf, IO_BUFSIZE, UINTMAX_MAX, &copied)) {
		perror("copy");
		return 1;
	}
	fprintf(stderr, "%lld bytes copied\n", (long long)copied);
	return 0;
}

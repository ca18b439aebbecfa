// Pattern: a desktop file-copy backend that tries a btrfs-style FICLONE first, then copy_file_range in progress-sized chunks with every result looked at, then splice through a pipe, then a plain read/write loop; no descriptor is opened with O_DIRECT (modelled on GLib's gio/gfile.c, btrfs_reflink_with_progress(), copy_file_range_with_progress() and splice_stream_with_progress()).
// zdio-category: negative
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/fs.h>

#define PROGRESS_CHUNK (1024 * 1024)
#define SPLICE_CHUNK (64 * 1024)

typedef void (*progress_cb)(int64_t current, int64_t total, void *data);

static bool reflink_with_progress(int fd_in, int fd_out, int64_t total, progress_cb cb, void *data)
{
	if (cb)
		cb(0, total, data);
	if (ioctl(fd_out, FICLONE, fd_in) < 0) // zdio-expect-site: ficlone
		return false;
	if (cb)
		cb(total, total, data);
	return true;
}

static int copy_file_range_with_progress(int fd_in, int fd_out, int64_t total, progress_cb cb, void *data)
{
	int64_t copied = 0;

	while (copied < total) {
		size_t chunk = total - copied < PROGRESS_CHUNK ? (size_t)(total - copied) : PROGRESS_CHUNK;
		ssize_t n = copy_file_range(fd_in, NULL, fd_out, NULL, chunk, 0); // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO010, ZDIO011, ZDIO012
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return copied == 0 ? -errno : -EIO;
		}
		if (n == 0)
			break;
		copied += n;
		if (cb)
			cb(copied, total, data);
	}
	return 0;
}

static int splice_with_progress(int fd_in, int fd_out, int64_t total, progress_cb cb, void *data)
{
	int pipefd[2];
	int64_t copied = 0;

	if (pipe(pipefd) < 0)
		return -errno;
	while (copied < total) {
		ssize_t n = splice(fd_in, NULL, pipefd[1], NULL, SPLICE_CHUNK, SPLICE_F_MORE); // zdio-expect-none: copy_file_range
		if (n <= 0)
			break;
		ssize_t left = n;
		while (left > 0) {
			ssize_t m = splice(pipefd[0], NULL, fd_out, NULL, (size_t)left, SPLICE_F_MORE);
			if (m <= 0)
				goto out;
			left -= m;
		}
		copied += n;
		if (cb)
			cb(copied, total, data);
	}
out:
	close(pipefd[0]);
	close(pipefd[1]);
	return copied == total ? 0 : -EIO;
}

static int read_write_copy(int fd_in, int fd_out)
{
	static char buf[256 * 1024];
	ssize_t n;

	while ((n = read(fd_in, buf, sizeof(buf))) > 0) // zdio-expect-none: o_direct_io, ZDIO001
		if (write(fd_out, buf, (size_t)n) != n)
			return -EIO;
	return n < 0 ? -errno : 0;
}

static void print_progress(int64_t current, int64_t total, void *data)
{
	(void)data;
	fprintf(stderr, "\r%lld / %lld", (long long)current, (long long)total);
}

int main(int argc, char **argv)
{
	struct stat st;
	int fd_in, fd_out, r;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SRC DST\n", argv[0]);
		return 2;
	}
	fd_in = open(argv[1], O_RDONLY | O_CLOEXEC); // zdio-expect-none: o_direct_open
	if (fd_in < 0 || fstat(fd_in, &st) < 0)
		return 1;
	fd_out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 07777); // zdio-expect-none: o_direct_open
	if (fd_out < 0)
		return 1;

	if (reflink_with_progress(fd_in, fd_out, st.st_size, print_progress, NULL))
		return 0;
	r = copy_file_range_with_progress(fd_in, fd_out, st.st_size, print_progress, NULL);
	if (r == -EXDEV || r == -ENOSYS || r == -EINVAL || r == -EOPNOTSUPP) {
		if (lseek(fd_in, 0, SEEK_SET) < 0 || lseek(fd_out, 0, SEEK_SET) < 0)
			return 1;
		r = splice_with_progress(fd_in, fd_out, st.st_size, print_progress, NULL);
		if (r < 0)
			r = read_write_copy(fd_in, fd_out);
	}
	fputc('\n', stderr);
	close(fd_in);
	close(fd_out);
	return r < 0;
}

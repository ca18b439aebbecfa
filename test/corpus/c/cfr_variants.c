// Pattern: a copy_file_range wrapper that switches between the libc call and the raw syscall, called by each test with constant lengths and offsets (modelled on LTP's testcases/kernel/syscalls/copy_file_range/copy_file_range.h and copy_file_range01.c).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CONTENT "one line of corpus test content\n"
#define CONTSIZE (sizeof(CONTENT) - 1)
#define PAST_HOLE_OFF 65537
#define RECORD (128 * 1024)

static int variant;   /* 0: glibc wrapper, 1: raw syscall; set from the command line */

static ssize_t sys_copy_file_range(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len, unsigned int flags)
{
	switch (variant) {
	case 0:
		return copy_file_range(fd_in, off_in, fd_out, off_out, len, flags); // zdio-expect-site: copy_file_range
	case 1:
		return syscall(__NR_copy_file_range, fd_in, off_in, fd_out, off_out, len, flags); // zdio-expect-site: copy_file_range
	}
	errno = ENOSYS;
	return -1;
}

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags, 0644);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	return fd;
}

/* Cross-file-system support is probed with one line of text. */
static int cross_fs_supported(const char *in_path, const char *out_path)
{
	int fd_in = open_or_die(in_path, O_RDWR | O_CREAT);
	int fd_out = open_or_die(out_path, O_RDWR | O_CREAT);
	ssize_t n;
	int i;

	for (i = 0; i < 64; i++)
		if (write(fd_in, CONTENT, CONTSIZE) != (ssize_t)CONTSIZE)
			return 0;
	n = sys_copy_file_range(fd_in, NULL, fd_out, NULL, CONTSIZE, 0); // zdio-expect: ZDIO010
	close(fd_in);
	close(fd_out);
	return !(n < 0 && errno == EXDEV);
}

static int copy_records(int src, int dst, int records)
{
	loff_t in = 0, out = RECORD;
	ssize_t n = sys_copy_file_range(src, &in, dst, &out, (size_t)records * RECORD, 0);
	if (n < 0) {
		perror("copy_file_range records");
		return -1;
	}
	return 0;
}

static int copy_aligned_span(int src, int dst)
{
	loff_t in = 0, out = RECORD;
	ssize_t n = sys_copy_file_range(src, &in, dst, &out, 4 * RECORD, 0); // zdio-expect-none: ZDIO010
	if (n != 4 * RECORD) {
		fprintf(stderr, "short copy: %zd\n", n);
		return -1;
	}
	return 0;
}

static int copy_past_hole(int src, int dst)
{
	loff_t in = PAST_HOLE_OFF, out = 0;
	ssize_t n = sys_copy_file_range(src, &in, dst, &out, RECORD, 0); // zdio-expect: ZDIO010
	if (n < 0 && errno != EFBIG) {
		perror("copy_file_range past the hole");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int src, dst, rc = 0;

	if (argc > 1)
		variant = atoi(argv[1]);
	if (!cross_fs_supported("file_src", "mnt_point/file_dest"))
		printf("copy_file_range does not cross file systems here\n");

	src = open_or_die("file_src", O_RDWR | O_CREAT);
	dst = open_or_die("file_dest", O_RDWR | O_CREAT | O_TRUNC);
	rc |= copy_records(src, dst, argc > 2 ? atoi(argv[2]) : 1);
	rc |= copy_aligned_span(src, dst);
	rc |= copy_past_hole(src, dst);
	close(src);
	close(dst);
	return rc ? 1 : 0;
}

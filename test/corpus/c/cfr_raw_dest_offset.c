// Pattern: a whole-file copy through the raw syscall(__NR_copy_file_range, …) with offsets passed by address, the destination offset set to 2 to exercise a seccomp policy, and the result checked for -1 (modelled on lumontec/seccomp-docker's copy_file_range.c, itself after the copy_file_range(2) man page example).
// zdio-category: call-form
#include <sys/types.h>
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int open_pair(const char *src, const char *dst, int *fd_in, int *fd_out, loff_t *len)
{
	struct stat st;

	*fd_in = open(src, O_RDONLY); // zdio-expect-none: o_direct_open
	if (*fd_in == -1 || fstat(*fd_in, &st) == -1)
		return -1;
	*len = st.st_size;
	*fd_out = open(dst, O_CREAT | O_WRONLY | O_TRUNC, 0644); // zdio-expect-none: o_direct_open
	return *fd_out == -1 ? -1 : 0;
}

int main(int argc, char **argv)
{
	int fd_in, fd_out;
	loff_t len, ret;
	loff_t off_src = 0;
	loff_t off_dst = 2;

	if (argc != 3) {
		fprintf(stderr, "Usage: %s <source> <destination>\n", argv[0]);
		exit(EXIT_FAILURE);
	}
	if (open_pair(argv[1], argv[2], &fd_in, &fd_out, &len) == -1) {
		perror("open");
		exit(EXIT_FAILURE);
	}

	ret = syscall(__NR_copy_file_range, fd_in, &off_src, fd_out, &off_dst, len, 0); // zdio-expect-site: copy_file_range, zdio-expect: ZDIO010, ZDIO012, zdio-expect-none: ZDIO011
	if (ret == -1) {
		perror("copy_file_range");
		exit(EXIT_FAILURE);
	}

	close(fd_in);
	close(fd_out);
	exit(EXIT_SUCCESS);
}

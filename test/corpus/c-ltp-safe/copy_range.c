// Pattern: tst_syscall(__NR_copy_file_range, …) from a project header, with the content size from a suite header (modelled on LTP's copy_file_range01.c and its copy_file_range.h).
// zdio-category: header-macro
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "tst_safe_io.h"
#include "copy_file_range.h"

int main(void)
{
	loff_t off_in = 0, off_out = 0;
	long copied;
	int fd_in, fd_out, i;

	fd_in = SAFE_OPEN(FILE_SRC_PATH, O_RDWR | O_CREAT, 0664);
	for (i = 0; i < 128; i++)
		SAFE_WRITE(SAFE_WRITE_ALL, fd_in, CONTENT, CONTSIZE);
	fd_out = SAFE_OPEN(FILE_DEST_PATH, O_RDWR | O_CREAT | O_TRUNC, 0664);

	copied = tst_syscall(__NR_copy_file_range, fd_in, &off_in, fd_out, &off_out, CONTSIZE, 0); // zdio-expect-site: copy_file_range, zdio-expect: ZDIO010
	if (copied != (long)CONTSIZE) {
		fprintf(stderr, "copied %ld of %zu bytes: %s\n", copied, CONTSIZE, strerror(errno));
		return 1;
	}
	off_in = 0;
	off_out = 128 * 1024;
	copied = tst_syscall(__NR_copy_file_range, fd_in, &off_in, fd_out, &off_out, 128 * 1024, 0); // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO010
	if (copied < 0) {
		perror("copy_file_range");
		return 1;
	}
	SAFE_CLOSE(fd_in);
	SAFE_CLOSE(fd_out);
	return 0;
}

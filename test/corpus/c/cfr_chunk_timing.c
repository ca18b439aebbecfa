// Pattern: a timing program that copies a prepared file with its own copy_file_range() wrapper around syscall(__NR_copy_file_range, …) in fixed 64 KiB chunks at explicit offsets, checking each result (modelled on flavono123/lkfeval's feature-evals/copy_file_range/copy_file_range_time.c with its SERVER_BUF_SIZE and MIN()).
// zdio-category: call-form
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef __NR_copy_file_range
#define __NR_copy_file_range 326
#endif

#define SERVER_BUF_SIZE 65536
#define RECORD_BUF_SIZE 131072

static loff_t copy_file_range(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len, unsigned int flags)
{
	return syscall(__NR_copy_file_range, fd_in, off_in, fd_out, off_out, len, flags); // zdio-expect-site: copy_file_range
}

static double elapsed(struct timespec a, struct timespec b)
{
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static int copy_chunks(int fd_in, int fd_out, long nchunks)
{
	loff_t off_in = 0, off_out = 0;
	long i;

	for (i = 0; i < nchunks; i++) {
		loff_t ret = copy_file_range(fd_in, &off_in, fd_out, &off_out, SERVER_BUF_SIZE, 0); // zdio-expect: ZDIO010, zdio-expect-none: ZDIO012, ZDIO011
		if (ret != SERVER_BUF_SIZE) {
			perror("copy_file_range");
			return -1;
		}
	}
	return 0;
}

static int copy_records(int fd_in, int fd_out, long nrecords)
{
	loff_t off_in = 0, off_out = 0;
	long i;

	for (i = 0; i < nrecords; i++) {
		loff_t ret = copy_file_range(fd_in, &off_in, fd_out, &off_out, RECORD_BUF_SIZE, 0); // zdio-expect-none: ZDIO010, ZDIO012
		if (ret != RECORD_BUF_SIZE) {
			perror("copy_file_range");
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct stat st;
	int fd_in, fd_out, rc;

	if (argc != 4) {
		fprintf(stderr, "Usage: %s chunk|record <source> <destination>\n", argv[0]);
		return EXIT_FAILURE;
	}
	fd_in = open(argv[2], O_RDONLY); // zdio-expect-none: o_direct_open
	if (fd_in < 0 || fstat(fd_in, &st) < 0) {
		perror(argv[2]);
		return EXIT_FAILURE;
	}
	fd_out = open(argv[3], O_CREAT | O_WRONLY | O_TRUNC, 0644); // zdio-expect-none: o_direct_open
	if (fd_out < 0) {
		perror(argv[3]);
		return EXIT_FAILURE;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (argv[1][0] == 'c')
		rc = copy_chunks(fd_in, fd_out, st.st_size / SERVER_BUF_SIZE);
	else
		rc = copy_records(fd_in, fd_out, st.st_size / RECORD_BUF_SIZE);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == 0)
		printf("%.3fs\n", elapsed(t0, t1));

	close(fd_in);
	close(fd_out);
	return rc ? EXIT_FAILURE : EXIT_SUCCESS;
}

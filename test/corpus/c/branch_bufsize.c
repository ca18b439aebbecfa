// Pattern: the buffer size and the buffer are chosen on the same branch that adds O_DIRECT, so the values belong together (modelled on the direct/buffered switch of benchmark tools such as fio's filesetup.c with its direct= and bs= options).
// zdio-category: branch-correlated
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct opts {
	int direct;
	const char *path;
};

/* Reads a file's first block; the sector-sized request only happens on the direct path. */
static int read_first_block(const struct opts *o)
{
	int flags = O_RDONLY;
	size_t bufsize;
	char *buf;
	int fd;

	if (o->direct) {
		flags |= O_DIRECT;
		bufsize = 512;
	} else {
		bufsize = 100;
	}
	fd = open(o->path, flags); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror(o->path);
		return -1;
	}
	if (posix_memalign((void **)&buf, 4096, 4096)) {
		close(fd);
		return -1;
	}
	if (read(fd, buf, bufsize) < 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO002
		perror("read first block");
	free(buf);
	close(fd);
	return 0;
}

/* The page-sized request is on the direct path; the odd size only ever runs buffered. */
static int read_index(const struct opts *o)
{
	int flags = O_RDONLY;
	size_t blk;
	char *buf;
	int fd;

	if (o->direct) {
		flags |= O_DIRECT;
		blk = 4096;
		if (posix_memalign((void **)&buf, 4096, blk))
			return -1;
	} else {
		blk = 100;
		buf = malloc(blk);
		if (!buf)
			return -1;
	}
	fd = open(o->path, flags); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror(o->path);
		free(buf);
		return -1;
	}
	if (read(fd, buf, blk) < 0) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002
		perror("read index");
	free(buf);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .direct = 0, .path = NULL };
	int c;

	while ((c = getopt(argc, argv, "d")) != -1) {
		if (c == 'd')
			o.direct = 1;
		else
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: %s [-d] FILE\n", argv[0]);
		return 2;
	}
	o.path = argv[optind];
	if (read_first_block(&o) || read_index(&o))
		return 1;
	return 0;
}

// Pattern: a write helper and an allocation helper called with alignments and sizes derived from the page size, one of them a 512-byte alignment (modelled on LTP's testcases/kernel/io/ltp-aiodio/dio_sparse.c, which hands an alignment and a write size to its SAFE_MEMALIGN/SAFE_WRITE helper).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *alloc_block(size_t align, size_t size)
{
	void *p;

	if (posix_memalign(&p, align, size)) {
		fprintf(stderr, "posix_memalign(%zu, %zu) failed\n", align, size);
		exit(1);
	}
	memset(p, 0, size);
	return p;
}

static int do_write(int fd, const char *buf, size_t len)
{
	ssize_t w = write(fd, buf, len); // zdio-expect-site: o_direct_io

	if (w < 0) {
		fprintf(stderr, "write of %zu bytes: %s\n", len, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "dio_sparse.data";
	size_t pagesize = (size_t)getpagesize();
	char *sector_aligned, *page_aligned;
	int fd;

	fd = open(path, O_DIRECT | O_WRONLY | O_CREAT, 0666); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror(path);
		return 1;
	}
	sector_aligned = alloc_block(512, 64 * 1024);
	page_aligned = alloc_block(pagesize, 2 * pagesize);

	if (do_write(fd, sector_aligned, 64 * 1024)) // zdio-expect: ZDIO001
		fprintf(stderr, "sector-aligned buffer rejected\n");
	if (do_write(fd, page_aligned, pagesize / 2)) // zdio-expect: ZDIO002, zdio-expect-none: ZDIO001
		fprintf(stderr, "half-page write rejected\n");

	free(sector_aligned);
	free(page_aligned);
	close(fd);
	return 0;
}

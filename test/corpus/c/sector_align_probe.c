// Pattern: finding the smallest usable direct-I/O alignment by trying a 512-byte sector read before the page size (modelled on the question xfstests' src/min_dio_alignment.c answers with BLKSSZGET and getpagesize(), asked here with reads).
// zdio-category: within-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECTOR_SIZE 512
#define PROBE_SPAN (64 * 1024)

static int try_read(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off); // zdio-expect-site: o_direct_io
	if (n < 0 && errno == EINVAL)
		return 0;
	return n >= 0;
}

int main(int argc, char **argv)
{
	void *sector_buf, *page_buf;
	size_t align;
	long pagesize;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_DIRECT); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}

	if (posix_memalign(&sector_buf, SECTOR_SIZE, PROBE_SPAN)) {
		fprintf(stderr, "posix_memalign failed\n");
		return 1;
	}
	/* The classic first attempt: one sector into a sector-aligned buffer. */
	if (pread(fd, sector_buf, SECTOR_SIZE, 0) == SECTOR_SIZE) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
		printf("%d\n", SECTOR_SIZE);
		return 0;
	}

	pagesize = sysconf(_SC_PAGESIZE);
	if (posix_memalign(&page_buf, pagesize, PROBE_SPAN)) {
		fprintf(stderr, "posix_memalign failed\n");
		return 1;
	}
	/* A whole span at offset 0 is always fine; the same span one sector in is not. */
	if (pread(fd, page_buf, PROBE_SPAN, 0) < 0) { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		perror("pread");
		return 1;
	}
	if (pread(fd, page_buf, PROBE_SPAN, 2 * SECTOR_SIZE) >= 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO003
		fprintf(stderr, "sub-page offsets accepted\n");

	/* Whatever the sector size, one page at offset 0 must work. */
	align = (size_t)pagesize;
	if (try_read(fd, page_buf, align, 0))
		printf("%zu\n", align);
	else
		fprintf(stderr, "no direct read works on %s\n", argv[1]);
	free(sector_buf);
	free(page_buf);
	close(fd);
	return 0;
}

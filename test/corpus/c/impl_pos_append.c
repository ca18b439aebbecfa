// Pattern: appends and rewrites through the implicit file position: O_APPEND on a truncated file, lseek() to a known offset, and sequential reads and writes that advance it (modelled on LTP's testcases/kernel/io/ltp-aiodio/dio_append.c and io_append() in its common.h).
// zdio-category: implicit-position
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WRITE_SIZE (64 * 1024)
#define RECORD (128 * 1024)
#define PAGE 4096

static char *aligned_buffer(size_t size, int pattern)
{
	void *p;

	if (posix_memalign(&p, PAGE, size))
		return NULL;
	memset(p, pattern, size);
	return p;
}

/* Appends to a fresh file: every append lands at the current size. */
static int append_log(const char *path, int appends)
{
	char *buf = aligned_buffer(WRITE_SIZE, 0);
	int fd, i;

	if (!buf)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_DIRECT, 0644); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror(path);
		return -1;
	}
	if (write(fd, buf, WRITE_SIZE) != WRITE_SIZE) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
		goto fail;
	if (write(fd, buf, WRITE_SIZE) != WRITE_SIZE) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
		goto fail;
	for (i = 2; i < appends; i++) {
		if (write(fd, buf, WRITE_SIZE) != WRITE_SIZE) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
			goto fail;
	}
	/* The end marker is short: it can never be a direct write. */
	if (write(fd, buf, 512) != 512) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO002
		goto fail;
	close(fd);
	free(buf);
	return 0;
fail:
	fprintf(stderr, "append to %s: %s\n", path, strerror(errno));
	close(fd);
	free(buf);
	return -1;
}

/* Rewrites records of an existing file in place. */
static int rewrite_records(const char *path)
{
	char *buf = aligned_buffer(RECORD, 0x5a);
	int fd;

	if (!buf)
		return -1;
	fd = open(path, O_RDWR | O_DIRECT); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror(path);
		return -1;
	}
	if (read(fd, buf, RECORD) != RECORD) // zdio-expect-site: o_direct_io
		goto fail;
	if (write(fd, buf, RECORD) != RECORD) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO004
		goto fail;
	if (lseek(fd, 3 * PAGE, SEEK_SET) < 0)
		goto fail;
	if (write(fd, buf, RECORD) != RECORD) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
		goto fail;
	if (lseek(fd, 1000, SEEK_SET) < 0)
		goto fail;
	if (read(fd, buf, PAGE) < 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO003
		goto fail;
	if (lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	if (read(fd, buf, RECORD) != RECORD) // zdio-expect-site: o_direct_io
		goto fail;
	if (read(fd, buf, PAGE) != PAGE) // zdio-expect-site: o_direct_io
		goto fail;
	if (write(fd, buf, PAGE) != PAGE) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
		goto fail;
	close(fd);
	free(buf);
	return 0;
fail:
	fprintf(stderr, "rewrite %s: %s\n", path, strerror(errno));
	close(fd);
	free(buf);
	return -1;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "dio_append";
	int appends = argc > 2 ? atoi(argv[2]) : 16;

	if (append_log(path, appends))
		return 1;
	return rewrite_records(path) ? 1 : 0;
}

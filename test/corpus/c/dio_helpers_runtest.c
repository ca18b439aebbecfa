// Pattern: error-path tests that hand offset, count and buffer to a helper which seeks, reads and writes, then compare the errno values with what each case expects (modelled on LTP's testcases/kernel/io/direct_io/diotest4.c, runtest_f()/runtest_s()).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE_BYTES 4096
#define RECORD_BYTES (32 * PAGE_BYTES)
#define DATA_FILE "dio_errors.data"

struct rw_result {
	int read_errno;
	int write_errno;
};

/* Seeks to offset, reads count bytes, seeks back and writes them; 0 in a field means success. */
static struct rw_result seek_read_write(int fd, char *buf, off_t offset, size_t count)
{
	struct rw_result r = { 0, 0 };

	if (lseek(fd, offset, SEEK_SET) < 0) {
		r.read_errno = r.write_errno = errno;
		return r;
	}
	if (read(fd, buf, count) < 0) // zdio-expect-site: o_direct_io
		r.read_errno = errno;
	if (lseek(fd, offset, SEEK_SET) < 0) {
		r.write_errno = errno;
		return r;
	}
	if (write(fd, buf, count) < 0) // zdio-expect-site: o_direct_io
		r.write_errno = errno;
	return r;
}

static int expect(const char *what, struct rw_result r, int want)
{
	int ok = r.read_errno == want && r.write_errno == want;

	printf("%s %s (read: %s, write: %s)\n", ok ? "ok  " : "FAIL", what,
	       r.read_errno ? strerror(r.read_errno) : "success", r.write_errno ? strerror(r.write_errno) : "success");
	return ok ? 0 : 1;
}

int main(int argc, char *argv[])
{
	char *page, *record;
	int fd, failures = 0;

	(void)argc;
	(void)argv;
	fd = open(DATA_FILE, O_DIRECT | O_RDWR | O_CREAT, 0666); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		fprintf(stderr, "%s: %s (no O_DIRECT support?)\n", DATA_FILE, strerror(errno));
		return 1;
	}
	page = valloc(PAGE_BYTES);
	record = valloc(RECORD_BYTES);
	if (!page || !record) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	memset(record, 'r', RECORD_BYTES);

	failures += expect("one-byte count", seek_read_write(fd, page, 0, 1), EINVAL); // zdio-expect: ZDIO002
	failures += expect("one-byte offset", seek_read_write(fd, page, 1, PAGE_BYTES), EINVAL); // zdio-expect: ZDIO003
	failures += expect("buffer one byte in", seek_read_write(fd, page + 1, 0, PAGE_BYTES), EINVAL); // zdio-expect: ZDIO001
	failures += expect("whole record", seek_read_write(fd, record, 0, RECORD_BYTES), 0); // zdio-expect-none: ZDIO004
	failures += expect("second page", seek_read_write(fd, page, PAGE_BYTES, PAGE_BYTES), 0); // zdio-expect: ZDIO004

	close(fd);
	unlink(DATA_FILE);
	return failures ? 1 : 0;
}

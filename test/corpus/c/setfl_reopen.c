// Pattern: a record-replay test that writes one whole record through O_DIRECT, reopens the same file buffered and switches it to O_DIRECT with fcntl(F_SETFL), then writes a small stamp and reads back at a sector offset (modelled on rr's src/test/o_direct.c and the fcntl F_SETFL O_DIRECT step of syscall tracers' tests).
// zdio-category: within-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECORD (128 * 1024)

struct stamp {
	char magic[8];
	unsigned int generation;
	unsigned int crc;
};

static int check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "FAILED: %s (%s)\n", what, strerror(errno));
		exit(1);
	}
	return 0;
}

int main(void)
{
	void *record;
	int fd = open("odirect.out", O_RDWR | O_DIRECT | O_CREAT | O_TRUNC, 0600); // zdio-expect-site: o_direct_open

	if (fd < 0 && errno == EINVAL) {
		puts("file system has no O_DIRECT; skipping");
		return 0;
	}
	check(fd >= 0, "open");
	check(posix_memalign(&record, RECORD, RECORD) == 0, "posix_memalign");
	memset(record, 0x5a, RECORD);

	check(write(fd, record, RECORD) == RECORD, "write record"); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO004
	check(pread(fd, record, RECORD, 0) == RECORD, "read record"); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	close(fd);

	fd = open("odirect.out", O_RDWR);
	check(fd >= 0, "reopen");
	check(fcntl(fd, F_SETFL, O_DIRECT) == 0, "F_SETFL O_DIRECT"); // zdio-expect-site: o_direct_open

	struct stamp st = { "RRSTAMP", 1, 0 };
	check(pwrite(fd, &st, sizeof(st), 0) == (ssize_t)sizeof(st), "stamp"); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
	check(pread(fd, record, 4096, 512) == 4096, "sector read"); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO003
	close(fd);
	unlink("odirect.out");
	puts("EXIT-SUCCESS");
	return 0;
}

// Pattern: tables of test cases (descriptor pointer, buffer pointer, offset, count) walked by a loop that does the I/O for each row (modelled on LTP's tcases[] tables, e.g. testcases/kernel/syscalls/copy_file_range/copy_file_range02.c).
// zdio-category: table
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define RECORD (128 * 1024)

static int fd_direct = -1;
static int fd_src = -1, fd_dst = -1;
static char *abuf;   /* page aligned */
static char *hbuf;   /* plain heap */

static struct tcase {
	int *fd;
	char **buf;
	off_t offset;
	size_t count;
	const char *desc;
} tcases[] = {
	{ &fd_direct, &abuf, 0, 4096, "one aligned page" },
	{ &fd_direct, &abuf, 0, 1, "one byte" }, // zdio-expect: ZDIO002
	{ &fd_direct, &abuf, 512, 4096, "sector offset" }, // zdio-expect: ZDIO003
	{ &fd_direct, &hbuf, 8192, 4096, "heap buffer" }, // zdio-expect: ZDIO001
	{ &fd_direct, &abuf, RECORD, RECORD, "one record" },
};

static const struct crange {
	loff_t src_off;
	loff_t dst_off;
	size_t len;
} ranges[] = {
	{ 0, 0, RECORD },
	{ 0, RECORD, RECORD / 2 }, // zdio-expect: ZDIO010
	{ 4096, 2 * RECORD, RECORD }, // zdio-expect: ZDIO010
	{ RECORD, 3 * RECORD, 2 * RECORD },
};

static void setup(void)
{
	fd_direct = open("tcase.data", O_RDWR | O_CREAT | O_DIRECT, 0644); // zdio-expect-site: o_direct_open
	fd_src = open("cfr.src", O_RDONLY);
	fd_dst = open("cfr.dst", O_WRONLY | O_CREAT, 0644);
	if (fd_direct < 0 || fd_src < 0 || fd_dst < 0) {
		perror("setup: open");
		exit(1);
	}
	if (posix_memalign((void **)&abuf, 4096, 2 * RECORD)) {
		fprintf(stderr, "setup: posix_memalign failed\n");
		exit(1);
	}
	hbuf = malloc(2 * RECORD);
	if (!hbuf)
		exit(1);
}

static int verify_pread(unsigned int n)
{
	struct tcase *tc = &tcases[n];
	ssize_t ret = pread(*tc->fd, *tc->buf, tc->count, tc->offset); // zdio-expect-site: o_direct_io

	if (ret < 0) {
		printf("FAIL %s: %s\n", tc->desc, strerror(errno));
		return 1;
	}
	printf("PASS %s\n", tc->desc);
	return 0;
}

static int verify_copy(const struct crange *r)
{
	loff_t in = r->src_off, out = r->dst_off;
	ssize_t n = copy_file_range(fd_src, &in, fd_dst, &out, r->len, 0); // zdio-expect-site: copy_file_range

	if (n < 0) {
		printf("FAIL copy at %lld: %s\n", (long long)r->src_off, strerror(errno));
		return 1;
	}
	return 0;
}

int main(void)
{
	unsigned int i;
	int failed = 0;

	setup();
	for (i = 0; i < ARRAY_SIZE(tcases); i++)
		failed |= verify_pread(i);
	for (i = 0; i < ARRAY_SIZE(ranges); i++)
		failed |= verify_copy(&ranges[i]);
	return failed;
}

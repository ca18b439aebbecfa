// Pattern: a libaio test harness whose cases call one helper, attempt_rw(fd, buf, count, pos, rw, expect), that prepares one iocb with io_prep_pread/io_prep_pwrite and submits it synchronously, on an O_DIRECT file with a page-aligned buffer (modelled on libaio's harness/cases/aio_setup.h attempt_rw() and sync_submit(), and the O_DIRECT cases of its harness).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SIZE (128 * 1024)
#define READ 'r'
#define WRITE 'w'

static io_context_t io_ctx;

static void aio_setup(int n)
{
	int res = io_queue_init(n, &io_ctx);

	if (res != 0) {
		fprintf(stderr, "io_queue_init(%d): %s\n", n, strerror(-res));
		exit(3);
	}
}

static int sync_submit(struct iocb *iocb)
{
	struct io_event event;
	struct iocb *iocbs[] = { iocb };
	struct timespec ts = { 30, 0 };
	int res = io_submit(io_ctx, 1, iocbs);

	if (res != 1) {
		fprintf(stderr, "sync_submit: io_submit res=%d\n", res);
		return res;
	}
	res = io_getevents(io_ctx, 1, 1, &event, &ts);
	if (res != 1) {
		fprintf(stderr, "sync_submit: io_getevents res=%d\n", res);
		return res;
	}
	return event.res;
}

static int attempt_rw(int fd, void *buf, int count, long long pos, int rw, int expect)
{
	struct iocb iocb;
	int res;

	if (rw == READ)
		io_prep_pread(&iocb, fd, buf, count, pos); // zdio-expect-site: o_direct_io
	else
		io_prep_pwrite(&iocb, fd, buf, count, pos); // zdio-expect-site: o_direct_io

	printf("expect %6d: (%c), res = ", expect, rw);
	fflush(stdout);
	res = sync_submit(&iocb);
	printf("%6d%s\n", res, res != expect ? " -- FAILED" : "");
	return res != expect;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "testdir/rwfile";
	void *buf;
	int fd, status = 0;

	aio_setup(1024);
	if (posix_memalign(&buf, 4096, SIZE)) {
		fprintf(stderr, "posix_memalign failed\n");
		return 1;
	}
	memset(buf, 0x5a, SIZE);

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0600); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror(path);
		return 2;
	}

	/* whole records: what direct I/O is for */
	status |= attempt_rw(fd, buf, SIZE, 0, WRITE, SIZE); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
	status |= attempt_rw(fd, buf, SIZE, 0, READ, SIZE); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	/* one page: accepted, but less than a record */
	status |= attempt_rw(fd, buf, 4096, SIZE, WRITE, 4096); // zdio-expect: ZDIO004
	/* a sector-sized request, fine on a disk, not a page multiple */
	status |= attempt_rw(fd, buf, 512, 0, READ, 512); // zdio-expect: ZDIO002
	/* a page read at a sector offset */
	status |= attempt_rw(fd, buf, 4096, 512, READ, 4096); // zdio-expect: ZDIO003

	close(fd);
	free(buf);
	return status;
}

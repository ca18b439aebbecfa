// Pattern: libaio writes and reads on an O_DIRECT descriptor, prepared with io_prep_pwrite/io_prep_pread and submitted with io_submit, buffer size from -b (modelled on xfstests' src/aio-dio-regress/aio-dio-cycle-write.c and LTP's testcases/kernel/io/aio/aio01.c).
// zdio-category: async-io
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AIO_BLKSIZE (64 * 1024)
#define IO_PATTERN 0x55

static int fd = -1;
static io_context_t ctx;

static int submit_one(struct iocb *cb)
{
	struct iocb *cbs[1] = { cb };
	struct io_event ev;
	int ret = io_submit(ctx, 1, cbs);

	if (ret != 1) {
		fprintf(stderr, "io_submit: %s\n", strerror(-ret));
		return -1;
	}
	ret = io_getevents(ctx, 1, 1, &ev, NULL);
	if (ret != 1 || (long)ev.res < 0) {
		fprintf(stderr, "io_getevents: res %ld\n", (long)ev.res);
		return -1;
	}
	return 0;
}

static int cycle_writes(size_t buf_size, int cycles)
{
	struct iocb cb;
	void *buf;
	int i;

	if (posix_memalign(&buf, getpagesize(), buf_size))
		return -1;
	for (i = 0; i < cycles; i++) {
		memset(buf, IO_PATTERN + i, buf_size);
		io_prep_pwrite(&cb, fd, buf, buf_size, 0); // zdio-expect-site: o_direct_io
		if (submit_one(&cb))
			return -1;
	}
	free(buf);
	return 0;
}

/* The volume label lives in the first sector. */
static int write_label(const char *text)
{
	char label[512];
	struct iocb cb;

	memset(label, 0, sizeof(label));
	strncpy(label, text, sizeof(label) - 1);
	io_prep_pwrite(&cb, fd, label, sizeof(label), 0); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
	return submit_one(&cb);
}

static int read_back(void)
{
	struct iocb cb;
	void *rbuf, *wbuf;

	if (posix_memalign(&rbuf, getpagesize(), AIO_BLKSIZE) || posix_memalign(&wbuf, getpagesize(), 2 * AIO_BLKSIZE))
		return -1;
	io_prep_pread(&cb, fd, rbuf, AIO_BLKSIZE, 4096 + 512); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO003
	if (submit_one(&cb))
		fprintf(stderr, "unaligned read rejected, as expected on strict file systems\n");
	memset(wbuf, 0, 2 * AIO_BLKSIZE);
	io_prep_pwrite(&cb, fd, wbuf, 2 * AIO_BLKSIZE, 0); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO004
	return submit_one(&cb);
}

int main(int argc, char **argv)
{
	size_t buf_size = AIO_BLKSIZE;
	int cycles = 10, c, err;
	const char *filename;

	while ((c = getopt(argc, argv, "c:b:")) != -1) {
		switch (c) {
		case 'c':
			cycles = atoi(optarg);
			break;
		case 'b':
			buf_size = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-c cycles] [-b bufsize] FILE\n", argv[0]);
			return 2;
		}
	}
	if (optind >= argc)
		return 2;
	filename = argv[optind];

	fd = open(filename, O_DIRECT | O_CREAT | O_RDWR, 0600); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror("open");
		return 1;
	}
	err = io_setup(128, &ctx);
	if (err) {
		fprintf(stderr, "io_setup: %s\n", strerror(-err));
		return 1;
	}
	err = cycle_writes(buf_size, cycles) || write_label("zfs-dio corpus") || read_back();
	io_destroy(ctx);
	close(fd);
	return err;
}

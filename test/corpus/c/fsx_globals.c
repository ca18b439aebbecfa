// Pattern: a file exerciser whose descriptor, buffers and O_DIRECT flag are globals set in main() from options and used by every operation, including a close-and-reopen (modelled on fsx, ltp/fsx.c in xfstests).
// zdio-category: file-scope-state
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXFILELEN (256 * 1024)

static int fd = -1;
static int o_direct;                 /* O_DIRECT with -Z */
static char *fname;
static char *good_buf;               /* the model of the file contents, page aligned */
static char *temp_buf;               /* what a read returned */
static long page_size;
static unsigned long flush_len;
static unsigned long numops = 1000;

static void prterr(const char *what)
{
	int e = errno;

	if (e)
		fprintf(stderr, "fsx: %s: %s\n", what, strerror(e));
	else
		fprintf(stderr, "fsx: %s\n", what);
}

static void check_read(unsigned long offset, unsigned long size)
{
	ssize_t n = pread(fd, temp_buf, size, offset); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
	if (n != (ssize_t)size)
		prterr("read back fewer bytes than asked");
	else if (memcmp(temp_buf, good_buf + offset, size) != 0)
		prterr("read back data differs from the model");
}

static void model_write(unsigned long offset, unsigned long size)
{
	memset(good_buf + offset, (int)(offset & 0xff), size);
	if (pwrite(fd, good_buf + offset, size, offset) != (ssize_t)size) // zdio-expect-site: o_direct_io
		prterr("write of model data");
}

/* The log header at the start of the file: written from a small static buffer. */
static void save_header(void)
{
	static char header[64];

	snprintf(header, sizeof(header), "fsx %lu ops\n", numops);
	if (pwrite(fd, header, sizeof(header), 0) < 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
		prterr("header write");
}

/* Writes the tail that -f asked for; flush_len is fixed in main() before any operation runs. */
static void flush_tail(void)
{
	if (pwrite(fd, good_buf, flush_len, 0) < 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO002, zdio-expect-none: ZDIO001
		prterr("tail write");
}

static void write_whole_record(void)
{
	if (pwrite(fd, good_buf, 128 * 1024, 0) < 0) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		prterr("record write");
}

static void reopen(void)
{
	if (close(fd))
		prterr("close before reopen");
	fd = open(fname, O_RDWR | o_direct, 0); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		prterr("reopen");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	unsigned long op;
	int ch;

	page_size = getpagesize();
	while ((ch = getopt(argc, argv, "N:Z")) != -1) {
		switch (ch) {
		case 'N':
			numops = strtoul(optarg, NULL, 0);
			break;
		case 'Z':
			o_direct = O_DIRECT;
			break;
		default:
			fprintf(stderr, "usage: fsx [-N numops] [-Z] fname\n");
			return 2;
		}
	}
	if (optind != argc - 1)
		return 2;
	fname = argv[optind];
	flush_len = 3 * 512;

	fd = open(fname, O_RDWR | O_CREAT | O_TRUNC | o_direct, 0666); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		prterr(fname);
		return 1;
	}
	if (posix_memalign((void **)&good_buf, page_size, MAXFILELEN)) {
		prterr("posix_memalign");
		return 1;
	}
	temp_buf = malloc(MAXFILELEN);
	if (!temp_buf)
		return 1;
	memset(good_buf, 0, MAXFILELEN);

	save_header();
	write_whole_record();
	for (op = 0; op < numops; op++) {
		unsigned long offset = (unsigned long)random() % MAXFILELEN;
		unsigned long size = (unsigned long)random() % (MAXFILELEN - offset);
		switch (random() % 3) {
		case 0:
			check_read(offset, size);
			break;
		case 1:
			model_write(offset, size);
			break;
		default:
			reopen();
		}
	}
	flush_tail();
	close(fd);
	return 0;
}

// Pattern: an I/O latency pinger whose -D option adds O_DIRECT to the open flags, used by open() on a block device and by fcntl(F_SETFL) on a temporary file that mkstemp() made in a directory; the temporary working set is filled with request-sized pwrite()s from a page-aligned global buffer, then timed pread()s go to random multiples of the request size (modelled on ioping's ioping.c, parse_options(), main() with its mkstemp/F_SETFL working set and its pread loop).
// zdio-category: file-scope-state
#define _GNU_SOURCE
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static const char *path;
static int fd = -1;
static void *buf;

static int direct;
static int randomize = 1;
static long count = 4;

/* request size: one page, or 64 KiB for sequential runs (-L) */
static ssize_t size = 1 << 12;
/* the working set the requests are spread over */
static off_t wsize = 1 << 20;

static void usage(void)
{
	fprintf(stderr, "usage: ioping [-LD] [-c count] device|directory\n");
}

static void parse_options(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "LDc:h")) != -1) {
		switch (opt) {
		case 'L':
			randomize = 0;
			size = 1 << 16;
			break;
		case 'D':
			direct = 1;
			break;
		case 'c':
			count = atol(optarg);
			break;
		default:
			usage();
			exit(opt == 'h' ? 0 : 1);
		}
	}
	if (optind != argc - 1)
		errx(1, "one destination expected");
	path = argv[optind];
}

static int open_flags(void)
{
	int flags = O_RDONLY;

	if (direct)
		flags |= O_DIRECT;
	return flags;
}

static long long now_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec * 1000000ll + tv.tv_usec;
}

/* A directory gets a private file: written once, then timed with reads. */
static void make_working_set(const char *dir, int flags)
{
	char temp[PATH_MAX];
	off_t woffset;

	snprintf(temp, sizeof(temp), "%s/ioping.XXXXXX", dir);
	fd = mkstemp(temp); // zdio-expect-none: o_direct_open
	if (fd < 0)
		err(2, "failed to create temporary file at \"%s\"", dir);
	if (unlink(temp))
		err(2, "unlink \"%s\" failed", temp);
	if (fcntl(fd, F_SETFL, flags) != 0) { // zdio-expect-site: o_direct_open
		warn("fcntl failed");
		errx(2, direct ? "please retry without -D" : "cannot set flags");
	}

	for (woffset = 0; woffset + size <= wsize; woffset += size) {
		if (pwrite(fd, buf, size, woffset) != size) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
			err(2, "write failed");
	}
	if (fsync(fd))
		err(2, "fsync failed");
}

int main(int argc, char **argv)
{
	struct stat st;
	long request;
	long long total = 0;
	off_t woffset = 0;
	int flags;

	parse_options(argc, argv);
	flags = open_flags();

	if (stat(path, &st))
		err(2, "stat \"%s\" failed", path);
	if (posix_memalign(&buf, sysconf(_SC_PAGESIZE), size))
		errx(2, "buffer allocation failed");
	memset(buf, '*', size);

	if (S_ISDIR(st.st_mode)) {
		make_working_set(path, flags);
	} else if (S_ISBLK(st.st_mode)) {
		fd = open(path, flags); // zdio-expect-site: o_direct_open
		if (fd < 0)
			err(2, "failed to open \"%s\"", path);
	} else {
		errx(2, "unsupported destination: \"%s\"", path);
	}

	for (request = 1; request <= count; request++) {
		long long t;
		ssize_t got;

		if (randomize)
			woffset = random() % (wsize / size) * size;
		t = now_us();
		got = pread(fd, buf, size, woffset); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		if (got < 0)
			err(3, "read failed");
		t = now_us() - t;
		total += t;
		printf("%zd bytes from %s: request=%ld time=%.1f ms\n", got, path, request, t / 1000.);
		if (!randomize) {
			woffset += size;
			if (woffset + size > wsize)
				woffset = 0;
		}
		usleep(100000);
	}
	printf("%ld requests, %.1f ms total\n", count, total / 1000.);
	close(fd);
	return 0;
}

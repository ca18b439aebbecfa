// Pattern: an interactive I/O tester whose open command turns -d into O_DIRECT through its own IO_DIRECT flag and keeps the open file in a global table entry, with one global aligned buffer and its size kept in globals by alloc_buffer(), written and read through small helpers that clamp the count to the buffer size, and a built-in exercise that calls the commands with fixed ranges (modelled on xfsprogs' io/open.c openfile() and addfile(), io/pwrite.c do_pwrite() and io/pread.c alloc_buffer() with its global buffer/buffersize pair).
// zdio-category: file-scope-state
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define IO_READONLY 0x01
#define IO_DIRECT 0x02
#define IO_CREAT 0x04
#define IO_TRUNC 0x08

#define min(a, b) ((a) < (b) ? (a) : (b))

typedef struct fileio {
	int fd;
	int flags;
	char *name;
} fileio_t;

static fileio_t filetable[8];
static int filecount;
static fileio_t *file;

static char *buffer;
static size_t buffersize;
static size_t pagesize;

static int openfile(const char *path, int flags, mode_t mode)
{
	int oflags = (flags & IO_READONLY) ? O_RDONLY : O_RDWR;

	if (flags & IO_CREAT)
		oflags |= O_CREAT;
	if (flags & IO_TRUNC)
		oflags |= O_TRUNC;
	if (flags & IO_DIRECT)
		oflags |= O_DIRECT;

	int fd = open(path, oflags, mode); // zdio-expect-site: o_direct_open
	if (fd < 0)
		perror(path);
	return fd;
}

static int addfile(const char *name, int fd, int flags)
{
	if (filecount == (int)(sizeof(filetable) / sizeof(filetable[0])))
		return -1;
	file = &filetable[filecount++];
	file->fd = fd;
	file->flags = flags;
	file->name = strdup(name);
	return file->name ? 0 : -1;
}

static int alloc_buffer(size_t bsize, unsigned int seed)
{
	void *p;

	if (posix_memalign(&p, pagesize, bsize) != 0) {
		perror("posix_memalign");
		return -1;
	}
	free(buffer);
	buffer = p;
	buffersize = bsize;
	for (size_t i = 0; i + sizeof(seed) <= bsize; i += sizeof(seed))
		memcpy(buffer + i, &seed, sizeof(seed));
	return 0;
}

static ssize_t do_pwrite(int fd, off_t offset, long long count, size_t buffer_size)
{
	return pwrite(fd, buffer, min((size_t)count, buffer_size), offset); // zdio-expect-site: o_direct_io
}

static ssize_t do_pread(int fd, off_t offset, long long count, size_t buffer_size)
{
	return pread(fd, buffer, min((size_t)count, buffer_size), offset); // zdio-expect-site: o_direct_io
}

static int pwrite_f(off_t offset, long long count)
{
	ssize_t bytes = do_pwrite(file->fd, offset, count, buffersize);

	if (bytes < 0) {
		perror("pwrite");
		return -1;
	}
	printf("wrote %zd/%lld bytes at offset %lld\n", bytes, count, (long long)offset);
	return 0;
}

static int pread_f(off_t offset, long long count)
{
	ssize_t bytes = do_pread(file->fd, offset, count, buffersize);

	if (bytes < 0) {
		perror("pread");
		return -1;
	}
	printf("read %zd/%lld bytes at offset %lld\n", bytes, count, (long long)offset);
	return 0;
}

int main(int argc, char **argv)
{
	int flags = IO_CREAT;
	int c, fd;

	while ((c = getopt(argc, argv, "dt")) != -1) {
		switch (c) {
		case 'd':
			flags |= IO_DIRECT;
			break;
		case 't':
			flags |= IO_TRUNC;
			break;
		default:
			fprintf(stderr, "usage: %s [-d] [-t] file\n", argv[0]);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: %s [-d] [-t] file\n", argv[0]);
		return 2;
	}
	pagesize = (size_t)sysconf(_SC_PAGESIZE);

	fd = openfile(argv[optind], flags, 0600);
	if (fd < 0 || addfile(argv[optind], fd, flags) < 0)
		return 1;
	if (alloc_buffer(131072, 0xcdcdcdcd) < 0)
		return 1;

	int failed = 0;
	failed |= pwrite_f(0, 131072); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
	failed |= pwrite_f(131072, 65536); // zdio-expect: ZDIO004
	failed |= pwrite_f(262144, 1000000); // zdio-expect-none: ZDIO002, ZDIO004
	failed |= pread_f(512, 4096); // zdio-expect: ZDIO003
	failed |= pread_f(0, 1000); // zdio-expect: ZDIO002
	failed |= pread_f(131072, 4096); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	return failed ? 1 : 0;
}

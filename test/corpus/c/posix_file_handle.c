// Pattern: a storage engine's POSIX file layer: the open call adds O_DIRECT when the connection's direct_io setting names the file's type, the handle's read and write are function-pointer fields set at open, the 1 GB chunking loop sits in the write method, and the block manager writes the descriptor block and checkpoint extents through the handle with sizes from the connection's allocation size (modelled on WiredTiger's src/os_posix/os_fs.c, __posix_open_file(), __posix_file_read/__posix_file_write, and src/block/block_open.c's __wt_desc_write()).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define WT_GIGABYTE (1024ULL * 1024ULL * 1024ULL)
#define WT_MIN(a, b) ((a) < (b) ? (a) : (b))

#define FS_OPEN_FILE_TYPE_DATA 0x01u
#define FS_OPEN_FILE_TYPE_LOG 0x02u

typedef struct connection {
	uint32_t direct_io;       /* file types opened with O_DIRECT */
	size_t buffer_alignment;  /* alignment of I/O buffers */
	uint32_t allocsize;       /* block allocation unit */
} CONNECTION;

typedef struct posix_file_handle FILE_HANDLE;
struct posix_file_handle {
	const char *name;
	int fd;
	bool direct_io;
	int (*fh_read)(FILE_HANDLE *, off_t, size_t, void *);
	int (*fh_write)(FILE_HANDLE *, off_t, size_t, const void *);
};

static CONNECTION conn = {
	.direct_io = FS_OPEN_FILE_TYPE_DATA,
	.buffer_alignment = 4096,
	.allocsize = 4096,
};

static int posix_file_read(FILE_HANDLE *fh, off_t offset, size_t len, void *buf)
{
	uint8_t *addr;
	ssize_t nr;
	size_t chunk;

	for (addr = buf; len > 0; addr += nr, len -= (size_t)nr, offset += nr) {
		chunk = WT_MIN(len, WT_GIGABYTE);
		if ((nr = pread(fh->fd, addr, chunk, offset)) <= 0) { // zdio-expect-site: o_direct_io
			fprintf(stderr, "%s: read of %zu bytes at %jd failed\n", fh->name, chunk, (intmax_t)offset);
			return nr == 0 ? EIO : errno;
		}
	}
	return 0;
}

static int posix_file_write(FILE_HANDLE *fh, off_t offset, size_t len, const void *buf)
{
	const uint8_t *addr;
	ssize_t nw;
	size_t chunk;

	for (addr = buf; len > 0; addr += nw, len -= (size_t)nw, offset += nw) {
		chunk = WT_MIN(len, WT_GIGABYTE);
		if ((nw = pwrite(fh->fd, addr, chunk, offset)) < 0) { // zdio-expect-site: o_direct_io
			fprintf(stderr, "%s: write of %zu bytes at %jd failed\n", fh->name, chunk, (intmax_t)offset);
			return errno;
		}
	}
	return 0;
}

static int posix_open_file(const char *name, uint32_t file_type, FILE_HANDLE **fhp)
{
	FILE_HANDLE *fh;
	int f = O_RDWR | O_CREAT | O_CLOEXEC;

	if ((fh = calloc(1, sizeof(*fh))) == NULL)
		return ENOMEM;
	if (conn.direct_io & file_type) {
		f |= O_DIRECT;
		fh->direct_io = true;
	}
	fh->fd = open(name, f, 0666); // zdio-expect-site: o_direct_open
	if (fh->fd == -1) {
		free(fh);
		return errno;
	}
	fh->name = name;
	fh->fh_read = posix_file_read;
	fh->fh_write = posix_file_write;
	*fhp = fh;
	return 0;
}

static void *io_buffer(size_t size)
{
	void *p = NULL;

	if (posix_memalign(&p, conn.buffer_alignment, size) != 0)
		return NULL;
	memset(p, 0, size);
	return p;
}

/* The descriptor block: one allocation unit at the start of the file. */
static int desc_write(FILE_HANDLE *fh)
{
	uint8_t *buf = io_buffer(conn.allocsize);
	int ret;

	if (buf == NULL)
		return ENOMEM;
	memcpy(buf, "WTBLOCK1", 8);
	ret = fh->fh_write(fh, 0, conn.allocsize, buf); // zdio-expect: ZDIO004
	free(buf);
	return ret;
}

/* A checkpoint extent list: 32 allocation units after the first 128 KiB. */
static int extent_list_write(FILE_HANDLE *fh)
{
	size_t size = 32 * (size_t)conn.allocsize;
	uint8_t *buf = io_buffer(size);
	int ret;

	if (buf == NULL)
		return ENOMEM;
	ret = fh->fh_write(fh, 131072, size, buf); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
	free(buf);
	return ret;
}

/* A verify pass reads back the descriptor's first 512 bytes only. */
static int desc_verify(FILE_HANDLE *fh)
{
	uint8_t *buf = io_buffer(conn.allocsize);
	int ret;

	if (buf == NULL)
		return ENOMEM;
	ret = fh->fh_read(fh, 0, 512, buf); // zdio-expect: ZDIO002, zdio-expect-none: ZDIO001
	if (ret == 0 && memcmp(buf, "WTBLOCK1", 8) != 0)
		ret = EINVAL;
	free(buf);
	return ret;
}

int main(int argc, char **argv)
{
	FILE_HANDLE *fh;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE.wt\n", argv[0]);
		return 2;
	}
	if ((ret = posix_open_file(argv[1], FS_OPEN_FILE_TYPE_DATA, &fh)) != 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(ret));
		return 1;
	}
	if ((ret = desc_write(fh)) != 0 || (ret = extent_list_write(fh)) != 0 || (ret = desc_verify(fh)) != 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(ret));
		return 1;
	}
	close(fh->fd);
	free(fh);
	return 0;
}

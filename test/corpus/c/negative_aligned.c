// Pattern: page-aligned buffers spelled every way GCC accepts, including an aligned union behind a typedef and an attribute macro, with whole-page I/O (modelled on PostgreSQL's PGIOAlignedBlock/pg_attribute_aligned in src/include/c.h and pg_pwrite_zeros() in src/common/file_utils.c).
// zdio-category: negative
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define BLOCK_BYTES 8192
#define IO_ALIGN 4096
#define MAX_SEGMENTS 16
#define io_aligned(a) __attribute__((aligned(a)))

/* A data block that the compiler places on an I/O-aligned address, whatever else it holds. */
typedef union io_block {
	io_aligned(IO_ALIGN) char bytes[BLOCK_BYTES];
	double as_double;
	int64_t as_int64;
} io_block;

typedef struct {
	alignas(4096) unsigned char bytes[4096];
} page_t;

struct __attribute__((aligned(4096))) meta_block {
	char payload[4096];
};

static char scratch[4096] __attribute((aligned (4096)));
static char spare[8192] __attribute__((__aligned__(4096)));

/* Zero-fills [offset, offset + size) with vectored writes of one shared zero block. */
ssize_t fill_zeros(int fd, size_t size, off_t offset)
{
	static const io_block zero;
	struct iovec vec[MAX_SEGMENTS];
	ssize_t done = 0;

	while (size > 0) {
		int n = 0;
		ssize_t w;

		while (n < MAX_SEGMENTS && size > 0) {
			size_t piece = size > BLOCK_BYTES ? BLOCK_BYTES : size;
			vec[n].iov_base = (void *)zero.bytes;
			vec[n].iov_len = piece;
			size -= piece;
			n++;
		}
		w = pwritev(fd, vec, n, offset); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		if (w < 0)
			return w;
		offset += w;
		done += w;
	}
	return done;
}

int read_blocks(const char *path, unsigned int blkno)
{
	io_block block;
	page_t page;
	struct meta_block meta;
	int fd = open(path, O_RDWR | O_DIRECT); // zdio-expect-site: o_direct_open

	if (fd < 0) {
		perror(path);
		return -1;
	}
	if (pread(fd, block.bytes, BLOCK_BYTES, (off_t)blkno * BLOCK_BYTES) != BLOCK_BYTES) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		return -1;
	if (pread(fd, page.bytes, sizeof(page.bytes), 0) < 0) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		return -1;
	if (pread(fd, meta.payload, sizeof(meta.payload), 4096) < 0) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		return -1;
	if (pread(fd, scratch, sizeof(scratch), 8192) < 0) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		return -1;
	if (pread(fd, spare, sizeof(spare), 16384) < 0) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		return -1;
	if (fill_zeros(fd, 4 * BLOCK_BYTES, (off_t)(blkno + 1) * BLOCK_BYTES) < 0)
		return -1;
	close(fd);
	return 0;
}

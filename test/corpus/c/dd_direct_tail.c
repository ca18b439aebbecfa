// Pattern: a block copier with iflag=direct / oflag=direct operands kept in flag words, a page-aligned I/O buffer carved out of a larger malloc, a 512-byte label sector read first, and a short final block written only after fcntl(F_SETFL) has cleared O_DIRECT (modelled on GNU coreutils' src/dd.c, its flag tables, ptr_align() and iwrite()'s final-block handling).
// zdio-category: file-scope-state
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 4096
#define COPY_BLOCK (64 * 1024)
#define LABEL_SECTOR 512
#define TAIL_BYTES 1000

struct operand_flag {
	const char *name;
	int value;
};

static const struct operand_flag open_flags[] = {
	{ "direct", O_DIRECT },
	{ "dsync", O_DSYNC },
	{ "sync", O_SYNC },
	{ NULL, 0 },
};

static int input_flags;
static int output_flags;
static int ifd = -1;
static int ofd = -1;
static char *iobuf;

static int parse_flags(const char *list)
{
	int flags = 0;

	for (const struct operand_flag *f = open_flags; f->name; f++)
		if (strstr(list, f->name))
			flags |= f->value;
	return flags;
}

static char *ptr_align(char *p, size_t alignment)
{
	return (char *)(((uintptr_t)p + alignment - 1) & ~(uintptr_t)(alignment - 1));
}

/* Writes a block; a short one cannot be written with O_DIRECT, so the flag is dropped first. */
static ssize_t write_block(const char *buf, size_t size)
{
	if ((output_flags & O_DIRECT) && size < COPY_BLOCK) {
		int old = fcntl(ofd, F_GETFL);

		if (old < 0 || fcntl(ofd, F_SETFL, old & ~O_DIRECT) != 0)
			return -1;
		output_flags &= ~O_DIRECT;
	}
	return write(ofd, buf, size); // zdio-expect-site: o_direct_io
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s IN OUT IFLAGS OFLAGS\n", argv[0]);
		return 2;
	}
	input_flags = parse_flags(argv[3]);
	output_flags = parse_flags(argv[4]);

	ifd = open(argv[1], O_RDONLY | input_flags); // zdio-expect-site: o_direct_open
	ofd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | output_flags, 0644); // zdio-expect-site: o_direct_open
	if (ifd < 0 || ofd < 0) {
		perror("open");
		return 1;
	}

	char *real_buf = malloc(COPY_BLOCK + PAGE - 1);
	if (!real_buf)
		return 1;
	iobuf = ptr_align(real_buf, PAGE);

	/* The label sector says how the image was made; it is checked, not copied. */
	if (read(ifd, iobuf, LABEL_SECTOR) != LABEL_SECTOR) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO002, zdio-expect-none: ZDIO001
		perror("label");
		return 1;
	}
	if (memcmp(iobuf, "IMG1", 4) != 0) {
		fprintf(stderr, "not an image\n");
		return 1;
	}

	if (lseek(ifd, 0, SEEK_SET) != 0)
		return 1;
	if (read(ifd, iobuf, COPY_BLOCK) != COPY_BLOCK) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		return 1;
	if (write_block(iobuf, COPY_BLOCK) != COPY_BLOCK) { // zdio-expect: ZDIO004
		perror("write");
		return 1;
	}

	memset(iobuf, 0, TAIL_BYTES);
	if (write_block(iobuf, TAIL_BYTES) != TAIL_BYTES) { // zdio-expect-none: ZDIO002
		perror("tail");
		return 1;
	}
	free(real_buf);
	close(ifd);
	return close(ofd) != 0;
}

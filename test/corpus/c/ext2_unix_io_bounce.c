// Pattern: a block I/O manager that opens the device with O_DIRECT when the caller asks for IO_FLAG_DIRECT_IO, remembers the alignment in its private data, and sends every read or write whose offset, size or buffer is not aligned through an aligned one-sector bounce buffer with read-modify-write; the byte-granular write entry refuses to run on a direct channel, so the misaligned 1 KiB superblock at offset 1024 never reaches the device unaligned; only the whole-sector bounce writes are page-sized and so below recordsize (modelled on e2fsprogs' lib/ext2fs/unix_io.c, unix_open_channel(), raw_read_blk(), raw_write_blk() with data->align and data->bounce, and unix_write_byte()).
// zdio-category: branch-correlated
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define IO_FLAG_RW 0x0001
#define IO_FLAG_DIRECT_IO 0x0004

#define DIO_ALIGN 4096
#define SUPERBLOCK_OFFSET 1024
#define SUPERBLOCK_SIZE 1024

#define EXT2_ET_SHORT_READ 1001
#define EXT2_ET_SHORT_WRITE 1002
#define EXT2_ET_UNIMPLEMENTED 1003

struct unix_private_data {
	int dev;
	int flags;
	int align;
	void *bounce;
};

struct io_channel {
	char *name;
	int block_size;
	int flags;
	struct unix_private_data *private_data;
};

static int is_aligned(const struct unix_private_data *data, off_t location, ssize_t size, const void *buf)
{
	if (data->align == 0)
		return 1;
	return (location % data->align) == 0 && (size % data->align) == 0 &&
	       ((uintptr_t)buf % (uintptr_t)data->align) == 0;
}

static int raw_read_blk(struct io_channel *channel, struct unix_private_data *data, unsigned long long block,
			int count, void *bufv)
{
	ssize_t size = count < 0 ? -count : (ssize_t)count * channel->block_size;
	off_t location = (off_t)block * channel->block_size;
	char *buf = bufv;
	ssize_t actual;

	if (is_aligned(data, location, size, buf)) {
		actual = pread(data->dev, buf, (size_t)size, location); // zdio-expect-site: o_direct_io
		if (actual != size)
			return actual < 0 ? errno : EXT2_ET_SHORT_READ;
		return 0;
	}

	while (size > 0) {
		off_t aligned = location - (location % data->align);
		size_t skip = (size_t)(location - aligned);
		size_t n = (size_t)data->align - skip;

		if (n > (size_t)size)
			n = (size_t)size;
		actual = pread(data->dev, data->bounce, (size_t)data->align, aligned); // zdio-expect-site: o_direct_io
		if (actual != data->align)
			return actual < 0 ? errno : EXT2_ET_SHORT_READ;
		memcpy(buf, (char *)data->bounce + skip, n);
		buf += n;
		location += (off_t)n;
		size -= (ssize_t)n;
	}
	return 0;
}

static int raw_write_blk(struct io_channel *channel, struct unix_private_data *data, unsigned long long block,
			 int count, const void *bufv)
{
	ssize_t size = count < 0 ? -count : (ssize_t)count * channel->block_size;
	off_t location = (off_t)block * channel->block_size;
	const char *buf = bufv;
	ssize_t actual;

	if (is_aligned(data, location, size, buf)) {
		actual = pwrite(data->dev, buf, (size_t)size, location); // zdio-expect-site: o_direct_io
		if (actual != size)
			return actual < 0 ? errno : EXT2_ET_SHORT_WRITE;
		return 0;
	}

	while (size > 0) {
		off_t aligned = location - (location % data->align);
		size_t skip = (size_t)(location - aligned);
		size_t n = (size_t)data->align - skip;

		if (n > (size_t)size)
			n = (size_t)size;
		if (skip != 0 || n < (size_t)data->align) {
			actual = pread(data->dev, data->bounce, (size_t)data->align, aligned); // zdio-expect-site: o_direct_io
			if (actual != data->align)
				return actual < 0 ? errno : EXT2_ET_SHORT_READ;
		}
		memcpy((char *)data->bounce + skip, buf, n);
		actual = pwrite(data->dev, data->bounce, (size_t)data->align, aligned); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
		if (actual != data->align)
			return actual < 0 ? errno : EXT2_ET_SHORT_WRITE;
		buf += n;
		location += (off_t)n;
		size -= (ssize_t)n;
	}
	return 0;
}

static int unix_write_byte(struct io_channel *channel, unsigned long offset, int size, const void *buf)
{
	struct unix_private_data *data = channel->private_data;

	/* Byte-granular writes cannot be done on an O_DIRECT descriptor. */
	if (data->flags & IO_FLAG_DIRECT_IO)
		return EXT2_ET_UNIMPLEMENTED;
	if (pwrite(data->dev, buf, (size_t)size, (off_t)offset) != size) // zdio-expect-none: o_direct_io, ZDIO001, ZDIO002, ZDIO003
		return EXT2_ET_SHORT_WRITE;
	return 0;
}

static int unix_open_channel(const char *name, int flags, struct io_channel **ret)
{
	struct io_channel *io = calloc(1, sizeof(*io));
	struct unix_private_data *data = calloc(1, sizeof(*data));
	int open_flags = (flags & IO_FLAG_RW) ? O_RDWR : O_RDONLY;

	if (!io || !data)
		goto fail;
	io->name = strdup(name);
	io->block_size = 1024;
	io->flags = flags;
	io->private_data = data;
	data->flags = flags;
	if (flags & IO_FLAG_DIRECT_IO) {
		open_flags |= O_DIRECT;
		data->align = DIO_ALIGN;
	}
	data->dev = open(name, open_flags); // zdio-expect-site: o_direct_open
	if (data->dev < 0)
		goto fail;
	if (data->align && posix_memalign(&data->bounce, (size_t)data->align, (size_t)data->align) != 0)
		goto fail;
	*ret = io;
	return 0;
fail:
	if (data && data->dev > 0)
		close(data->dev);
	free(data);
	if (io)
		free(io->name);
	free(io);
	return errno ? errno : ENOMEM;
}

static int write_primary_superblock(struct io_channel *io, const void *sb)
{
	int ret = unix_write_byte(io, SUPERBLOCK_OFFSET, SUPERBLOCK_SIZE, sb);

	if (ret != EXT2_ET_UNIMPLEMENTED)
		return ret;
	/* Block 1 of a 1 KiB-block channel, through the bounce buffer. */
	return raw_write_blk(io, io->private_data, 1, -SUPERBLOCK_SIZE, sb); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
}

int main(int argc, char **argv)
{
	struct io_channel *io;
	char *sb, *bitmap;
	void *table;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DEVICE\n", argv[0]);
		return 2;
	}
	if (unix_open_channel(argv[1], IO_FLAG_RW | IO_FLAG_DIRECT_IO, &io) != 0) {
		perror(argv[1]);
		return 1;
	}
	sb = malloc(SUPERBLOCK_SIZE);
	bitmap = malloc(4096);
	if (!sb || !bitmap || posix_memalign(&table, 4096, 4 * 4096) != 0)
		return 1;

	if (raw_read_blk(io, io->private_data, 1, -SUPERBLOCK_SIZE, sb) != 0) // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		return 1;
	sb[56] ^= 1;
	if (write_primary_superblock(io, sb) != 0)
		return 1;

	io->block_size = 4096;
	if (raw_read_blk(io, io->private_data, 1, 4, table) != 0) // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		return 1;
	if (raw_read_blk(io, io->private_data, 9, 1, bitmap) != 0) // zdio-expect-none: ZDIO001
		return 1;
	memset(bitmap, 0xff, 16);
	if (raw_write_blk(io, io->private_data, 9, 1, bitmap) != 0) // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		return 1;
	return 0;
}

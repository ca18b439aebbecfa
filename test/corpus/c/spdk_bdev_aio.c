// Pattern: a block-device module over libaio that opens its backing file with O_DIRECT and falls back to a buffered open when the file system refuses, keeps the descriptor and the logical block size in a per-disk struct filled at creation, and turns every request into io_prep_preadv/io_prep_pwritev of the caller's iovec at lba * block_size; a small bring-up routine reads the label block, writes a full stripe, and rewrites one 512-byte metadata block (modelled on SPDK's module/bdev/aio/bdev_aio.c, bdev_aio_open(), bdev_aio_readv()/bdev_aio_writev() and create_aio_bdev() with its block_size argument).
// zdio-category: async-io
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define AIO_QUEUE_DEPTH 128
#define DEFAULT_BLOCK_SIZE 512
#define STRIPE_BYTES (128 * 1024)

struct file_disk {
	char *filename;
	int fd;
	bool readonly;
	uint32_t block_size;
	uint64_t blockcnt;
	io_context_t ctx;
};

static int bdev_aio_open(struct file_disk *disk)
{
	int mode = disk->readonly ? O_RDONLY : O_RDWR;
	int fd = open(disk->filename, mode | O_DIRECT); // zdio-expect-site: o_direct_open

	if (fd < 0) {
		/* Some file systems (tmpfs) refuse O_DIRECT: try a buffered open. */
		fd = open(disk->filename, mode); // zdio-expect-none: o_direct_open
		if (fd < 0) {
			fprintf(stderr, "open() failed (file:%s), errno %d: %s\n", disk->filename, errno, strerror(errno));
			disk->fd = -1;
			return -1;
		}
	}
	disk->fd = fd;
	return 0;
}

static int bdev_aio_submit(struct file_disk *disk, struct iocb *iocb)
{
	struct io_event ev;
	struct iocb *iocbs[1] = { iocb };
	int rc = io_submit(disk->ctx, 1, iocbs);

	if (rc != 1)
		return rc < 0 ? rc : -EAGAIN;
	rc = io_getevents(disk->ctx, 1, 1, &ev, NULL);
	if (rc != 1)
		return rc < 0 ? rc : -EIO;
	return (long)ev.res < 0 ? (int)(long)ev.res : 0;
}

static int bdev_aio_readv(struct file_disk *disk, struct iovec *iov, int iovcnt, uint64_t lba)
{
	struct iocb iocb;

	io_prep_preadv(&iocb, disk->fd, iov, iovcnt, (long long)(lba * disk->block_size)); // zdio-expect-site: o_direct_io
	return bdev_aio_submit(disk, &iocb);
}

static int bdev_aio_writev(struct file_disk *disk, struct iovec *iov, int iovcnt, uint64_t lba)
{
	struct iocb iocb;

	io_prep_pwritev(&iocb, disk->fd, iov, iovcnt, (long long)(lba * disk->block_size)); // zdio-expect-site: o_direct_io
	return bdev_aio_submit(disk, &iocb);
}

static struct file_disk *create_aio_bdev(const char *filename, uint32_t block_size)
{
	struct file_disk *disk = calloc(1, sizeof(*disk));

	if (!disk)
		return NULL;
	disk->fd = -1;
	disk->filename = strdup(filename);
	disk->block_size = block_size ? block_size : DEFAULT_BLOCK_SIZE;
	if (!disk->filename || bdev_aio_open(disk) < 0)
		goto fail;
	if (io_setup(AIO_QUEUE_DEPTH, &disk->ctx) < 0)
		goto fail;
	return disk;
fail:
	if (disk->fd >= 0)
		close(disk->fd);
	free(disk->filename);
	free(disk);
	return NULL;
}

static int bring_up(struct file_disk *disk)
{
	void *label, *stripe, *meta;
	struct iovec iov;
	int rc;

	if (posix_memalign(&label, 4096, 4096) || posix_memalign(&stripe, 4096, STRIPE_BYTES) ||
	    posix_memalign(&meta, 4096, 4096))
		return -ENOMEM;

	iov.iov_base = label;
	iov.iov_len = 4096; // zdio-expect-none: ZDIO002
	if ((rc = bdev_aio_readv(disk, &iov, 1, 0)) != 0) // zdio-expect-none: ZDIO001, ZDIO003
		return rc;

	memset(stripe, 0, STRIPE_BYTES);
	iov.iov_base = stripe;
	iov.iov_len = STRIPE_BYTES; // zdio-expect-none: ZDIO002, ZDIO004
	if ((rc = bdev_aio_writev(disk, &iov, 1, 256)) != 0) // zdio-expect-none: ZDIO001, ZDIO003, ZDIO004
		return rc;

	memset(meta, 0xa5, disk->block_size);
	iov.iov_base = meta;
	iov.iov_len = disk->block_size; // zdio-expect: ZDIO002
	rc = bdev_aio_writev(disk, &iov, 1, 8); // zdio-expect-none: ZDIO001, ZDIO003
	free(label);
	free(stripe);
	free(meta);
	return rc;
}

int main(int argc, char **argv)
{
	struct file_disk *disk;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BACKING_FILE\n", argv[0]);
		return 2;
	}
	disk = create_aio_bdev(argv[1], 0);
	if (!disk)
		return 1;
	int rc = bring_up(disk);
	io_destroy(disk->ctx);
	close(disk->fd);
	return rc == 0 ? 0 : 1;
}

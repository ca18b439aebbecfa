// Pattern: a block cache for scanning devices whose I/O engine is a struct of function pointers: the async engine's issue() turns a block's sector range into io_prep_pread()/io_prep_pwrite() in bytes (sector << 9), the sync fallback seeks and loops on read()/write(); the cache blocks are carved out of one page-aligned posix_memalign() area at block-size strides, the block size in sectors is checked against the page and kept in the cache, devices are opened with O_DIRECT by the scanner, and a 512-byte label write only dirties a cached block that is written back whole (modelled on lvm2's lib/device/bcache.c, _async_issue(), _sync_issue(), _init_free_list(), bcache_write_bytes(), and the O_DIRECT opens of lib/label/label.c).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECTOR_SHIFT 9L
#define MAX_IO 64
/* 128 sectors: 64 KiB cache blocks */
#define BLOCK_SIZE_IN_SECTORS 128
#define NR_CACHE_BLOCKS 16

typedef uint64_t sector_t;
enum dir { DIR_READ, DIR_WRITE };

struct io_engine {
	bool (*issue)(struct io_engine *e, enum dir d, int fd, sector_t sb, sector_t se, void *data);
	void (*destroy)(struct io_engine *e);
};

struct async_engine {
	struct io_engine e;
	io_context_t aio_context;
	uintptr_t page_mask;
};

struct block {
	int fd;
	uint64_t index;
	bool dirty;
	void *data;
};

struct bcache {
	sector_t block_sectors;
	struct io_engine *engine;
	void *raw_data;
	struct block blocks[NR_CACHE_BLOCKS];
};

static bool async_issue(struct io_engine *ioe, enum dir d, int fd, sector_t sb, sector_t se, void *data)
{
	struct async_engine *e = (struct async_engine *)ioe;
	struct iocb cb, *cbs[1] = { &cb };
	struct io_event ev;
	uint64_t offset = sb << SECTOR_SHIFT;
	uint64_t nbytes = (se - sb) << SECTOR_SHIFT;
	int r;

	if ((uintptr_t)data & e->page_mask) {
		fprintf(stderr, "misaligned data buffer\n");
		return false;
	}
	if (d == DIR_READ)
		io_prep_pread(&cb, fd, data, nbytes, offset); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	else
		io_prep_pwrite(&cb, fd, data, nbytes, offset); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	do {
		r = io_submit(e->aio_context, 1, cbs);
	} while (r == -EAGAIN);
	if (r != 1)
		return false;
	r = io_getevents(e->aio_context, 1, 1, &ev, NULL);
	return r == 1 && ev.res == nbytes;
}

static void async_destroy(struct io_engine *ioe)
{
	struct async_engine *e = (struct async_engine *)ioe;

	io_destroy(e->aio_context);
	free(e);
}

static struct io_engine *create_async_io_engine(void)
{
	struct async_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	if (io_setup(MAX_IO, &e->aio_context) < 0) {
		free(e);
		return NULL;
	}
	e->e.issue = async_issue;
	e->e.destroy = async_destroy;
	e->page_mask = (uintptr_t)sysconf(_SC_PAGESIZE) - 1;
	return &e->e;
}

static bool sync_issue(struct io_engine *ioe, enum dir d, int fd, sector_t sb, sector_t se, void *data)
{
	uint64_t where = sb * 512;
	uint64_t len = (se - sb) * 512;
	uint64_t pos = 0;
	ssize_t rv;

	(void)ioe;
	if (lseek(fd, where, SEEK_SET) != (off_t)where)
		return false;
	while (pos < len) {
		if (d == DIR_READ)
			rv = read(fd, (char *)data + pos, len - pos); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		else
			rv = write(fd, (char *)data + pos, len - pos); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		if (rv < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (rv <= 0)
			return false;
		pos += rv;
	}
	return true;
}

static void sync_destroy(struct io_engine *ioe)
{
	free(ioe);
}

static struct io_engine *create_sync_io_engine(void)
{
	struct io_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->issue = sync_issue;
	e->destroy = sync_destroy;
	return e;
}

static struct bcache *bcache_create(sector_t block_sectors, struct io_engine *engine)
{
	long pgsize = sysconf(_SC_PAGESIZE);
	size_t block_size = block_sectors << SECTOR_SHIFT;
	struct bcache *cache;
	unsigned i;

	if (block_sectors & ((pgsize >> SECTOR_SHIFT) - 1)) {
		fprintf(stderr, "bcache block size must be a multiple of the page size\n");
		return NULL;
	}
	cache = calloc(1, sizeof(*cache));
	if (!cache)
		return NULL;
	if (posix_memalign(&cache->raw_data, pgsize, NR_CACHE_BLOCKS * block_size)) {
		free(cache);
		return NULL;
	}
	cache->block_sectors = block_sectors;
	cache->engine = engine;
	for (i = 0; i < NR_CACHE_BLOCKS; i++) {
		cache->blocks[i].fd = -1;
		cache->blocks[i].data = (char *)cache->raw_data + block_size * i;
	}
	return cache;
}

static bool issue_block(struct bcache *cache, struct block *b, enum dir d)
{
	sector_t sb = b->index * cache->block_sectors;
	sector_t se = sb + cache->block_sectors;

	return cache->engine->issue(cache->engine, d, b->fd, sb, se, b->data); // zdio-expect: ZDIO004
}

static struct block *get_block(struct bcache *cache, int fd, uint64_t index)
{
	struct block *free_block = NULL;
	unsigned i;

	for (i = 0; i < NR_CACHE_BLOCKS; i++) {
		struct block *b = &cache->blocks[i];

		if (b->fd == fd && b->index == index)
			return b;
		if (b->fd < 0 && !free_block)
			free_block = b;
	}
	if (!free_block)
		return NULL;
	free_block->fd = fd;
	free_block->index = index;
	free_block->dirty = false;
	if (!issue_block(cache, free_block, DIR_READ)) {
		free_block->fd = -1;
		return NULL;
	}
	return free_block;
}

/* Byte-granular writes only touch cached blocks; the device sees whole blocks. */
static bool bcache_write_bytes(struct bcache *cache, int fd, uint64_t start, size_t len, const void *data)
{
	size_t block_size = cache->block_sectors << SECTOR_SHIFT;
	const char *src = data;

	while (len) {
		uint64_t index = start / block_size;
		size_t in_block = start % block_size;
		size_t n = block_size - in_block < len ? block_size - in_block : len;
		struct block *b = get_block(cache, fd, index);

		if (!b)
			return false;
		memcpy((char *)b->data + in_block, src, n);
		b->dirty = true;
		start += n;
		src += n;
		len -= n;
	}
	return true;
}

static bool bcache_flush(struct bcache *cache)
{
	unsigned i;

	for (i = 0; i < NR_CACHE_BLOCKS; i++) {
		struct block *b = &cache->blocks[i];

		if (b->fd >= 0 && b->dirty) {
			if (!issue_block(cache, b, DIR_WRITE))
				return false;
			b->dirty = false;
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	struct io_engine *engine;
	struct bcache *cache;
	char label[512];
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s device\n", argv[0]);
		return 2;
	}
	engine = create_async_io_engine();
	if (!engine)
		engine = create_sync_io_engine();
	if (!engine)
		return 1;
	cache = bcache_create(BLOCK_SIZE_IN_SECTORS, engine);
	if (!cache)
		return 1;

	fd = open(argv[1], O_RDWR | O_DIRECT | O_NOATIME); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror("open");
		return 1;
	}

	memset(label, 0, sizeof(label));
	memcpy(label, "LABELONE", 8);
	/* the label lives in sector 1 */
	if (!bcache_write_bytes(cache, fd, 512, sizeof(label), label)) // zdio-expect-none: ZDIO002, ZDIO003
		return 1;
	if (!bcache_flush(cache))
		return 1;

	close(fd);
	engine->destroy(engine);
	free(cache->raw_data);
	free(cache);
	return 0;
}

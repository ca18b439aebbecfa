// Pattern: a disk backend whose O_DIRECT variant only differs in the open flags it stores in the object, with shared open/read/write functions that take the flags from the object and are reached through an ops table of function pointers (modelled on StarPU's src/core/disk_ops/disk_unistd_o_direct.c and unistd/disk_unistd_global.c).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DISK_BLOCK 4096

struct disk_obj {
	int descriptor;
	int flags;
	char path[256];
	size_t size;
};

struct disk_ops {
	void *(*alloc)(const char *dir, size_t size);
	int (*read)(void *obj, void *buf, off_t offset, size_t size);
	int (*write)(void *obj, const void *buf, off_t offset, size_t size);
	void (*free)(void *obj);
};

static void *global_alloc(struct disk_obj *obj, const char *dir, size_t size)
{
	static unsigned counter;
	snprintf(obj->path, sizeof(obj->path), "%s/disk-%ld-%u", dir, (long)getpid(), counter++);
	int fd = open(obj->path, obj->flags | O_CREAT | O_EXCL, 0600); // zdio-expect-site: o_direct_open
	if (fd < 0 || ftruncate(fd, size) < 0) {
		fprintf(stderr, "disk alloc %s: %s\n", obj->path, strerror(errno));
		free(obj);
		return NULL;
	}
	obj->descriptor = fd;
	obj->size = size;
	return obj;
}

static int global_read(void *o, void *buf, off_t offset, size_t size)
{
	struct disk_obj *obj = o;
	size_t left = size;
	while (left > 0) {
		ssize_t nb = pread(obj->descriptor, buf, left, offset); // zdio-expect-site: o_direct_io
		if (nb <= 0)
			return -1;
		left -= nb;
		buf = (char *)buf + nb;
		offset += nb;
	}
	return 0;
}

static int global_write(void *o, const void *buf, off_t offset, size_t size)
{
	struct disk_obj *obj = o;
	size_t left = size;
	while (left > 0) {
		ssize_t nb = pwrite(obj->descriptor, buf, left, offset); // zdio-expect-site: o_direct_io
		if (nb < 0)
			return -1;
		left -= nb;
		buf = (const char *)buf + nb;
		offset += nb;
	}
	return 0;
}

static void global_free(void *o)
{
	struct disk_obj *obj = o;
	close(obj->descriptor);
	unlink(obj->path);
	free(obj);
}

static void *odirect_alloc(const char *dir, size_t size)
{
	struct disk_obj *obj = calloc(1, sizeof(*obj));
	if (!obj)
		return NULL;
	/* only the flags differ from the buffered backend */
	obj->flags = O_RDWR | O_DIRECT;
	return global_alloc(obj, dir, size);
}

static const struct disk_ops odirect_ops = {
	.alloc = odirect_alloc,
	.read = global_read,
	.write = global_write,
	.free = global_free,
};

static double bench(const struct disk_ops *ops, const char *dir)
{
	void *obj = ops->alloc(dir, 16 * DISK_BLOCK);
	if (!obj)
		return -1;
	void *block = NULL;
	if (posix_memalign(&block, DISK_BLOCK, 4 * DISK_BLOCK) != 0)
		return -1;
	memset(block, 0x5a, 4 * DISK_BLOCK);

	ops->write(obj, block, 0, 4 * DISK_BLOCK); // zdio-expect: ZDIO004
	ops->read(obj, block, 0, 4 * DISK_BLOCK); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003

	char *meta = malloc(DISK_BLOCK);
	ops->write(obj, meta, 8 * DISK_BLOCK, DISK_BLOCK); // zdio-expect: ZDIO001
	ops->read(obj, block, 2 * DISK_BLOCK, 1000); // zdio-expect: ZDIO002
	global_read(obj, block, 512, DISK_BLOCK); // zdio-expect: ZDIO003

	free(meta);
	free(block);
	ops->free(obj);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	return bench(&odirect_ops, dir) < 0 ? 1 : 0;
}

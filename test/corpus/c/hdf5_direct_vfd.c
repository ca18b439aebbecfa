// Pattern: a direct-I/O file driver that opens with O_DIRECT, probes at open time whether the file system insists on alignment by trying a 4-byte transfer from a malloc'd int and, when that fails, a whole block from a posix_memalign'd buffer, and then writes either straight from the caller's buffer or through an aligned copy buffer, with the memory boundary, block size and copy-buffer size kept in fields of a property struct copied into the file struct (modelled on HDF5's src/H5FDdirect.c, H5Pset_fapl_direct(), H5FD__direct_open() with its must_align probe, and H5FD__direct_write()).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define MBOUNDARY_DEF 4096
#define FBSIZE_DEF 4096
#define CBSIZE_DEF (16 * 1024 * 1024)

struct direct_fapl {
	size_t mboundary; /* memory address alignment */
	size_t fbsize;    /* file system block size */
	size_t cbsize;    /* largest copy buffer */
};

struct direct_file {
	int fd;
	struct direct_fapl fa;
	int must_align;
	off_t eoa;
};

static struct direct_fapl default_fapl = { MBOUNDARY_DEF, FBSIZE_DEF, CBSIZE_DEF };

static int set_fapl_direct(struct direct_fapl *fa, size_t boundary, size_t block_size, size_t cbuf_size)
{
	if (boundary == 0 || block_size == 0 || cbuf_size % block_size != 0)
		return -1;
	fa->mboundary = boundary;
	fa->fbsize = block_size;
	fa->cbsize = cbuf_size;
	return 0;
}

static struct direct_file *direct_open(const char *name, int create, const struct direct_fapl *fa)
{
	struct direct_file *file;
	int *probe;
	void *block = NULL;
	int o_flags = O_RDWR;
	int fd;

	if (create)
		o_flags |= O_CREAT | O_TRUNC;
	o_flags |= O_DIRECT;

	fd = open(name, o_flags, 0666); // zdio-expect-site: o_direct_open
	if (fd < 0)
		return NULL;

	file = calloc(1, sizeof(*file));
	if (!file) {
		close(fd);
		return NULL;
	}
	file->fd = fd;
	file->fa.mboundary = fa->mboundary;
	file->fa.fbsize = fa->fbsize;
	file->fa.cbsize = fa->cbsize;

	/* Does this file system care? Try the smallest transfer first. */
	probe = malloc(sizeof(int));
	if (!probe || posix_memalign(&block, file->fa.mboundary, file->fa.fbsize) != 0)
		goto fail;
	memset(block, 0, file->fa.fbsize);
	*probe = 0;

	if (create) {
		if (write(file->fd, probe, sizeof(int)) < 0) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002, zdio-expect-none: ZDIO003
			if (pwrite(file->fd, block, file->fa.fbsize, 0) < 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
				goto fail;
			file->must_align = 1;
		} else {
			file->must_align = 0;
			if (ftruncate(file->fd, 0) < 0)
				goto fail;
		}
	} else {
		if (read(file->fd, probe, sizeof(int)) < 0) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002, zdio-expect-none: ZDIO003
			if (pread(file->fd, block, file->fa.fbsize, 0) < 0) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
				goto fail;
			file->must_align = 1;
		} else {
			if (lseek(file->fd, 0, SEEK_SET) < 0)
				goto fail;
			file->must_align = write(file->fd, probe, sizeof(int)) < 0; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002, zdio-expect-none: ZDIO003
		}
	}

	free(probe);
	free(block);
	return file;

fail:
	free(probe);
	free(block);
	close(fd);
	free(file);
	return NULL;
}

static int direct_write(struct direct_file *file, off_t addr, size_t size, const void *buf)
{
	size_t boundary = file->fa.mboundary;
	size_t fbsize = file->fa.fbsize;
	size_t cbsize = file->fa.cbsize;
	size_t copy_offset, alloc_size;
	off_t start;
	void *copy_buf;

	if (!file->must_align ||
	    (addr % fbsize == 0 && size % fbsize == 0 && (uintptr_t)buf % boundary == 0)) {
		while (size > 0) {
			ssize_t n = pwrite(file->fd, buf, size, addr); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
			if (n < 0) {
				if (errno == EINTR)
					continue;
				return -1;
			}
			size -= (size_t)n;
			addr += n;
			buf = (const char *)buf + n;
		}
		if (addr > file->eoa)
			file->eoa = addr;
		return 0;
	}

	/* Read-modify-write of the covering blocks through an aligned buffer. */
	copy_offset = (size_t)(addr % fbsize);
	alloc_size = ((copy_offset + size - 1) / fbsize + 1) * fbsize;
	if (alloc_size > cbsize)
		alloc_size = cbsize;
	if (posix_memalign(&copy_buf, boundary, alloc_size) != 0)
		return -1;
	start = (addr / fbsize) * fbsize;
	memset(copy_buf, 0, alloc_size);
	if (pread(file->fd, copy_buf, alloc_size, start) < 0) { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		free(copy_buf);
		return -1;
	}
	memcpy((char *)copy_buf + copy_offset, buf, size < alloc_size - copy_offset ? size : alloc_size - copy_offset);
	if (pwrite(file->fd, copy_buf, alloc_size, start) < 0) { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		free(copy_buf);
		return -1;
	}
	free(copy_buf);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "direct.h5";
	struct direct_fapl fapl;
	struct direct_file *file;
	void *superblock, *dataset;

	if (set_fapl_direct(&fapl, MBOUNDARY_DEF, FBSIZE_DEF, CBSIZE_DEF) < 0)
		fapl = default_fapl;

	file = direct_open(path, 1, &fapl);
	if (!file) {
		perror("direct_open");
		return 1;
	}
	if (posix_memalign(&superblock, MBOUNDARY_DEF, FBSIZE_DEF) != 0 ||
	    posix_memalign(&dataset, MBOUNDARY_DEF, 1 << 20) != 0)
		return 1;
	memset(superblock, 0, FBSIZE_DEF);
	memcpy(superblock, "\211HDF\r\n\032\n", 8);
	memset(dataset, 0x5a, 1 << 20);

	if (direct_write(file, 0, FBSIZE_DEF, superblock) < 0) // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		return 1;
	if (direct_write(file, 2 << 20, 1 << 20, dataset) < 0) // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
		return 1;
	close(file->fd);
	free(file);

	file = direct_open(path, 0, &fapl);
	if (!file)
		return 1;
	printf("%s: alignment %s\n", path, file->must_align ? "required" : "not required");
	close(file->fd);
	free(file);
	free(superblock);
	free(dataset);
	return 0;
}

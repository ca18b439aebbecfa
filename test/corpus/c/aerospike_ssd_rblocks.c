// Pattern: a record store on raw files whose open flags are composed once per device from namespace options (O_DIRECT when direct-files is on, O_DSYNC unless disabled) into a struct field and used by a descriptor helper; write blocks go out whole at wblock_id * write_block_size, while single records are read by rounding their 16-byte rblock position out to the device's minimum I/O size with macros that read a struct field, which is 512 bytes for files (modelled on Aerospike's as/src/storage/drv_ssd.c, ssd_fd_get(), ssd_init_devices() open_flag, BYTES_DOWN_TO_IO_MIN/BYTES_UP_TO_IO_MIN and ssd_read_record(), and the namespace's storage-engine options).
// zdio-category: header-macro
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RBLOCK_SIZE 16
#define RBLOCKS_TO_BYTES(n) ((uint64_t)(n) * RBLOCK_SIZE)
#define LO_IO_MIN_SIZE 512
#define HI_IO_MIN_SIZE 4096

#define BYTES_DOWN_TO_IO_MIN(ssd, n) ((n) & -(uint64_t)(ssd)->io_min_size)
#define BYTES_UP_TO_IO_MIN(ssd, n) (((n) + (ssd)->io_min_size - 1) & -(uint64_t)(ssd)->io_min_size)

typedef struct as_namespace {
	const char *name;
	bool storage_direct_files;
	bool storage_disable_odsync;
	uint32_t storage_write_block_size;
} as_namespace;

typedef struct drv_ssd {
	const char *name;
	as_namespace *ns;
	int open_flag;
	uint32_t io_min_size;
	uint32_t write_block_size;
	int fd;
} drv_ssd;

static void namespace_defaults(as_namespace *ns, const char *name)
{
	ns->name = name;
	ns->storage_direct_files = true;
	ns->storage_disable_odsync = false;
	ns->storage_write_block_size = 1024 * 1024;
}

static void ssd_init_device(drv_ssd *ssd, as_namespace *ns, const char *path)
{
	ssd->name = path;
	ssd->ns = ns;
	ssd->open_flag = O_RDWR | (ns->storage_disable_odsync ? 0 : O_DSYNC) | (ns->storage_direct_files ? O_DIRECT : 0);
	ssd->io_min_size = ns->storage_direct_files ? LO_IO_MIN_SIZE : HI_IO_MIN_SIZE;
	ssd->write_block_size = ns->storage_write_block_size;
	ssd->fd = -1;
}

static int ssd_fd_get(drv_ssd *ssd)
{
	if (ssd->fd < 0) {
		ssd->fd = open(ssd->name, ssd->open_flag, 0644); // zdio-expect-site: o_direct_open
		if (ssd->fd < 0)
			fprintf(stderr, "%s: open failed: %s\n", ssd->name, strerror(errno));
	}
	return ssd->fd;
}

static bool pwrite_all(int fd, const void *buf, size_t size, off_t offset)
{
	while (size != 0) {
		ssize_t rv = pwrite(fd, buf, size, offset); // zdio-expect-site: o_direct_io
		if (rv < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		buf = (const uint8_t *)buf + rv;
		size -= (size_t)rv;
		offset += rv;
	}
	return true;
}

static bool pread_all(int fd, void *buf, size_t size, off_t offset)
{
	while (size != 0) {
		ssize_t rv = pread(fd, buf, size, offset); // zdio-expect-site: o_direct_io
		if (rv <= 0) {
			if (rv < 0 && errno == EINTR)
				continue;
			return false;
		}
		buf = (uint8_t *)buf + rv;
		size -= (size_t)rv;
		offset += rv;
	}
	return true;
}

static bool ssd_flush_wblock(drv_ssd *ssd, uint32_t wblock_id, const uint8_t *swb_buf)
{
	int fd = ssd_fd_get(ssd);
	off_t offset = (off_t)wblock_id * ssd->write_block_size;

	return fd >= 0 && pwrite_all(fd, swb_buf, ssd->write_block_size, offset); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
}

static bool ssd_read_record(drv_ssd *ssd, uint64_t rblock_id, uint32_t n_rblocks, uint8_t *read_buf)
{
	int fd = ssd_fd_get(ssd);
	uint64_t record_offset = RBLOCKS_TO_BYTES(rblock_id);
	uint64_t record_size = RBLOCKS_TO_BYTES(n_rblocks);
	uint64_t read_offset = BYTES_DOWN_TO_IO_MIN(ssd, record_offset);
	uint64_t read_end = BYTES_UP_TO_IO_MIN(ssd, record_offset + record_size);

	return fd >= 0 && pread_all(fd, read_buf, read_end - read_offset, (off_t)read_offset);
}

int main(int argc, char **argv)
{
	as_namespace ns;
	drv_ssd ssd;
	uint8_t *wblock, *rbuf;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DATA_FILE\n", argv[0]);
		return 2;
	}
	namespace_defaults(&ns, "test");
	ssd_init_device(&ssd, &ns, argv[1]);
	if (posix_memalign((void **)&wblock, HI_IO_MIN_SIZE, ssd.write_block_size) != 0 ||
	    posix_memalign((void **)&rbuf, HI_IO_MIN_SIZE, 64 * 1024) != 0)
		return 1;
	memset(wblock, 0, ssd.write_block_size);

	if (!ssd_flush_wblock(&ssd, 3, wblock))
		return 1;
	/* A 200-byte record (13 rblocks) at byte 640 of the device: one 512-byte sector at 512. */
	if (!ssd_read_record(&ssd, 40, 13, rbuf)) // zdio-expect: ZDIO002, ZDIO003
		return 1;
	/* A 4 KiB-aligned run of 256 rblocks at rblock 65536. */
	if (!ssd_read_record(&ssd, 65536, 256, rbuf)) // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		return 1;
	close(ssd.fd);
	return 0;
}

// Pattern: a mkfs that opens zoned devices with O_DIRECT, and positioned read/write helpers that look at the descriptor's flags with fcntl(F_GETFL) and, only when O_DIRECT is set, copy a misaligned buffer into an aligned bounce buffer; the 4 KiB superblock and its mirrors go out through them from a malloc'd buffer, so the buffer is fine but the writes stay below recordsize (modelled on btrfs-progs' common/device-utils.c btrfs_pread()/btrfs_pwrite() with their bounce buffer, and mkfs/common.c writing the superblock at BTRFS_SUPER_INFO_OFFSET and its mirrors).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BTRFS_SUPER_INFO_OFFSET 65536
#define BTRFS_SUPER_INFO_SIZE 4096
#define BTRFS_SUPER_MIRROR_MAX 3
#define BTRFS_SUPER_MIRROR_SHIFT 12
#define SECTORSIZE 4096

static uint64_t btrfs_sb_offset(int mirror)
{
	uint64_t start = 16 * 1024;

	if (mirror)
		return start << (BTRFS_SUPER_MIRROR_SHIFT * mirror);
	return BTRFS_SUPER_INFO_OFFSET;
}

static ssize_t btrfs_pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	int flags = fcntl(fd, F_GETFL);
	void *bounce;
	ssize_t ret;

	if (flags < 0)
		return -errno;
	if (!(flags & O_DIRECT) || ((uintptr_t)buf % SECTORSIZE) == 0)
		return pwrite(fd, buf, count, offset); // zdio-expect-site: o_direct_io

	if (posix_memalign(&bounce, SECTORSIZE, count) != 0)
		return -ENOMEM;
	memcpy(bounce, buf, count);
	ret = pwrite(fd, bounce, count, offset); // zdio-expect-site: o_direct_io
	free(bounce);
	return ret;
}

static ssize_t btrfs_pread(int fd, void *buf, size_t count, off_t offset)
{
	int flags = fcntl(fd, F_GETFL);
	void *bounce;
	ssize_t ret;

	if (flags < 0)
		return -errno;
	if (!(flags & O_DIRECT) || ((uintptr_t)buf % SECTORSIZE) == 0)
		return pread(fd, buf, count, offset); // zdio-expect-site: o_direct_io

	if (posix_memalign(&bounce, SECTORSIZE, count) != 0)
		return -ENOMEM;
	ret = pread(fd, bounce, count, offset); // zdio-expect-site: o_direct_io
	if (ret > 0)
		memcpy(buf, bounce, (size_t)ret);
	free(bounce);
	return ret;
}

static int write_all_supers(int fd, const char *sb, uint64_t dev_size)
{
	if (btrfs_pwrite(fd, sb, BTRFS_SUPER_INFO_SIZE, BTRFS_SUPER_INFO_OFFSET) != BTRFS_SUPER_INFO_SIZE) // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		return -EIO;
	for (int i = 1; i < BTRFS_SUPER_MIRROR_MAX; i++) {
		uint64_t bytenr = btrfs_sb_offset(i);

		if (bytenr + BTRFS_SUPER_INFO_SIZE > dev_size)
			break;
		if (btrfs_pwrite(fd, sb, BTRFS_SUPER_INFO_SIZE, (off_t)bytenr) != BTRFS_SUPER_INFO_SIZE) // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
			return -EIO;
	}
	return 0;
}

int main(int argc, char **argv)
{
	bool zoned = false;
	char *sb, *check;
	int fd;

	if (argc == 3 && strcmp(argv[1], "--zoned") == 0) {
		zoned = true;
		argv++;
	} else if (argc != 2) {
		fprintf(stderr, "usage: %s [--zoned] DEVICE\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDWR | (zoned ? O_DIRECT : 0)); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	sb = calloc(1, BTRFS_SUPER_INFO_SIZE);
	check = malloc(BTRFS_SUPER_INFO_SIZE);
	if (!sb || !check)
		return 1;
	memcpy(sb + 64, "_BHRfS_M", 8);

	if (write_all_supers(fd, sb, 1ULL << 40) != 0)
		return 1;
	if (btrfs_pread(fd, check, BTRFS_SUPER_INFO_SIZE, BTRFS_SUPER_INFO_OFFSET) != BTRFS_SUPER_INFO_SIZE) // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		return 1;
	free(sb);
	free(check);
	return close(fd) == 0 ? 0 : 1;
}

// Pattern: a RAID tool that adds a member device opened with O_RDWR|O_EXCL|O_DIRECT and reads and stores its version-1 superblock through aligned helpers: an align_fd struct keeps the descriptor and the logical sector size (BLKSSZGET, 512 when the ioctl fails), and aread()/awrite() round the length up to that sector size in a loop and go through a bounce buffer rounded up to 4096 inside a static array, pre-reading the sector before a partial write (modelled on mdadm's super1.c, struct align_fd, init_afd(), aread(), awrite(), load_super1() and store_super1(), and Grow.c's Grow_Add_device()).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROUND_UP_PTR(ptr, base) \
	((char *)((((uintptr_t)(ptr)) + ((base) - 1)) & ~((uintptr_t)(base) - 1)))
#define MAX_SB_SIZE 4096
#define SB_MAGIC 0xa92b4efc

struct sb1 {
	uint32_t magic;
	uint32_t major_version;
	uint32_t feature_map;
	uint32_t pad0;
	uint8_t set_uuid[16];
	char set_name[32];
	uint64_t ctime;
	uint32_t level;
	uint32_t layout;
	uint64_t size;
	uint32_t chunksize;
	uint32_t raid_disks;
	uint8_t pad1[128 - 96];
	uint64_t data_offset;
	uint64_t data_size;
	uint64_t super_offset;
	uint8_t pad2[256 - 152];
	uint32_t max_dev;
	uint16_t dev_roles[];
};

struct align_fd {
	int fd;
	int blk_sz;
};

static char abuf[4096 + 4096];

static void init_afd(struct align_fd *afd, int fd)
{
	afd->fd = fd;
	if (ioctl(fd, BLKSSZGET, &afd->blk_sz) != 0)
		afd->blk_sz = 512;
}

static int aread(struct align_fd *afd, void *buf, int len)
{
	int bsize = afd->blk_sz, iosize, n;
	char *b;

	if (!bsize || bsize > 4096 || len > 4096)
		return -1;
	b = ROUND_UP_PTR(abuf, 4096);
	for (iosize = 0; iosize < len; iosize += bsize)
		;
	n = read(afd->fd, b, iosize); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	if (n <= 0)
		return n;
	if (lseek(afd->fd, len - n, SEEK_CUR) < 0)
		return -1;
	if (n > len)
		n = len;
	memcpy(buf, b, n);
	return n;
}

static int awrite(struct align_fd *afd, void *buf, int len)
{
	int bsize = afd->blk_sz, iosize, n;
	char *b;

	if (!bsize || bsize > 4096 || len > 4096)
		return -1;
	b = ROUND_UP_PTR(abuf, 4096);
	for (iosize = 0; iosize < len; iosize += bsize)
		;
	if (len != iosize) {
		/* a partial sector: keep what follows the superblock */
		n = read(afd->fd, b, iosize); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
		if (n <= 0)
			return n;
		if (lseek(afd->fd, -n, SEEK_CUR) < 0)
			return -1;
	}
	memcpy(b, buf, len);
	n = write(afd->fd, b, iosize); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
	if (n <= 0)
		return n;
	if (lseek(afd->fd, len - n, SEEK_CUR) < 0)
		return -1;
	return len;
}

/* Version 1.1 keeps the superblock at the start, 1.2 four KiB in. */
static uint64_t super_offset_sectors(int minor_version)
{
	return minor_version == 1 ? 0 : 8;
}

static int load_super1(int fd, int minor_version, struct sb1 **sbp)
{
	struct align_fd afd;
	uint64_t sb_offset = super_offset_sectors(minor_version);
	struct sb1 *sb;

	init_afd(&afd, fd);
	if (lseek(fd, sb_offset << 9, SEEK_SET) < 0)
		return 1;
	if (posix_memalign((void **)&sb, 4096, MAX_SB_SIZE) != 0)
		return 1;
	if (aread(&afd, sb, MAX_SB_SIZE) != MAX_SB_SIZE || sb->magic != SB_MAGIC) {
		free(sb);
		return 1;
	}
	*sbp = sb;
	return 0;
}

static int store_super1(int fd, struct sb1 *sb)
{
	struct align_fd afd;
	int sbsize = sizeof(*sb) + 2 * sb->max_dev;

	init_afd(&afd, fd);
	if (lseek(fd, sb->super_offset << 9, SEEK_SET) < 0)
		return 3;
	if (awrite(&afd, sb, sbsize) != sbsize)
		return 4;
	return fsync(fd);
}

int main(int argc, char **argv)
{
	struct sb1 *sb = NULL;
	struct stat st;
	int ref, nfd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s member newdev\n", argv[0]);
		return 2;
	}
	ref = open(argv[1], O_RDWR | O_EXCL | O_DIRECT); // zdio-expect-site: o_direct_open
	if (ref < 0 || load_super1(ref, 2, &sb) != 0) {
		fprintf(stderr, "no usable superblock on %s\n", argv[1]);
		return 1;
	}
	nfd = open(argv[2], O_RDWR | O_EXCL | O_DIRECT); // zdio-expect-site: o_direct_open
	if (nfd < 0 || fstat(nfd, &st) != 0 || !S_ISBLK(st.st_mode)) {
		fprintf(stderr, "%s is not a block device\n", argv[2]);
		return 1;
	}
	sb->super_offset = super_offset_sectors(2);
	if (store_super1(nfd, sb) != 0) {
		fprintf(stderr, "failed to write the superblock to %s\n", argv[2]);
		return 1;
	}
	free(sb);
	close(nfd);
	close(ref);
	return 0;
}

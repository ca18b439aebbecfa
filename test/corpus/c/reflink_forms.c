// Pattern: clone ioctls spelled through project aliases, _IOW() numbers and the btrfs names of the same requests (modelled on xfstests' src/cloner.c and the #ifndef FICLONE / _IOW(0x94, 9, int) fallback in moby's copy_cgo.go).
// zdio-category: call-form
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fs.h>

#ifndef FICLONE
#define FICLONE _IOW (0x94, 9, int)
#endif
#define CF_FICLONE FICLONE
#define CF_FICLONERANGE _IOW(0x94, 13, struct file_clone_range)

#define BTRFS_IOCTL_MAGIC 0x94
struct btrfs_ioctl_clone_range_args {
	int64_t src_fd;
	uint64_t src_offset, src_length;
	uint64_t dest_offset;
};
#define BTRFS_IOC_CLONE _IOW(BTRFS_IOCTL_MAGIC, 9, int)
#define BTRFS_IOC_CLONE_RANGE _IOW(BTRFS_IOCTL_MAGIC, 13, struct btrfs_ioctl_clone_range_args)

#define SUPERBLOCK_LEN (64 * 1024)

static int clone_whole(int src_fd, int dst_fd)
{
	if (ioctl(dst_fd, CF_FICLONE, src_fd) < 0) { // zdio-expect-site: ficlone
		fprintf(stderr, "FICLONE: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int clone_whole_btrfs(int src_fd, int dst_fd)
{
	return ioctl(dst_fd, BTRFS_IOC_CLONE, src_fd); // zdio-expect-site: ficlone
}

static int clone_range_btrfs(int src_fd, int dst_fd, uint64_t src_off, uint64_t len, uint64_t dst_off)
{
	struct btrfs_ioctl_clone_range_args cr_args;

	memset(&cr_args, 0, sizeof(cr_args));
	cr_args.src_fd = src_fd;
	cr_args.src_offset = src_off;
	cr_args.src_length = len;
	cr_args.dest_offset = dst_off;
	return ioctl(dst_fd, BTRFS_IOC_CLONE_RANGE, &cr_args); // zdio-expect-site: ficlone
}

/* The superblock region is cloned on its own before the data. */
static int clone_superblock(int src_fd, int dst_fd)
{
	struct file_clone_range r = {
		.src_fd = src_fd,
		.src_offset = 0,
		.src_length = SUPERBLOCK_LEN, // zdio-expect: ZDIO020
		.dest_offset = 0,
	};
	return ioctl(dst_fd, CF_FICLONERANGE, &r); // zdio-expect-site: ficlone
}

static int clone_raw_number(int src_fd, int dst_fd)
{
	return ioctl(dst_fd, _IOW(0x94, 9, int), src_fd); // zdio-expect-site: ficlone
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-b] [-s src_off] [-d dst_off] [-l len] src dst\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t src_off = 0, dst_off = 0, len = 0;
	int btrfs = 0, range = 0, opt, src_fd, dst_fd, ret;

	while ((opt = getopt(argc, argv, "bs:d:l:")) != -1) {
		switch (opt) {
		case 'b':
			btrfs = 1;
			break;
		case 's':
			src_off = strtoull(optarg, NULL, 10);
			range = 1;
			break;
		case 'd':
			dst_off = strtoull(optarg, NULL, 10);
			range = 1;
			break;
		case 'l':
			len = strtoull(optarg, NULL, 10);
			range = 1;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind + 2 != argc)
		usage(argv[0]);
	src_fd = open(argv[optind], O_RDONLY);
	dst_fd = open(argv[optind + 1], O_WRONLY | O_CREAT, 0644);
	if (src_fd < 0 || dst_fd < 0) {
		perror("open");
		return 1;
	}
	if (range)
		ret = clone_range_btrfs(src_fd, dst_fd, src_off, len, dst_off);
	else if (btrfs)
		ret = clone_whole_btrfs(src_fd, dst_fd);
	else if (clone_superblock(src_fd, dst_fd) == 0)
		ret = clone_whole(src_fd, dst_fd);
	else
		ret = clone_raw_number(src_fd, dst_fd);
	if (ret < 0)
		perror("clone");
	return ret < 0;
}

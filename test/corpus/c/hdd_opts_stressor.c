// Pattern: a disk stressor whose --hdd-opts words are looked up in a table that pairs each word with open flags (the "direct" row adds O_DIRECT), with write and read helpers that switch to writev/readv of sixteen equal segments in iovec mode, a 4 KiB-aligned buffer of the write size, a sequential pass from the start of the file and a random pass whose first write lands at the end of the file (modelled on stress-ng's stress-hdd.c, its hdd_opts[] table, stress_set_hdd_opts(), stress_hdd_write()/stress_hdd_read(), BUF_ALIGNMENT and DEFAULT_HDD_WRITE_SIZE).
// zdio-category: table
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define MB (1024 * 1024)
#define HDD_BYTES (16 * MB)
#define HDD_WRITE_SIZE (64 * 1024)
#define BUF_ALIGNMENT 4096
#define HDD_IO_VEC_MAX 16

#define HDD_OPT_WR_SEQ 0x0001
#define HDD_OPT_WR_RND 0x0002
#define HDD_OPT_O_SYNC 0x0100
#define HDD_OPT_O_DIRECT 0x0200
#define HDD_OPT_IOVEC 0x1000

struct hdd_opt {
	const char *word;
	int flag;
	int oflag;
};

static const struct hdd_opt hdd_opts[] = {
	{ "sync", HDD_OPT_O_SYNC, O_SYNC },
	{ "direct", HDD_OPT_O_DIRECT, O_DIRECT },
	{ "wr-seq", HDD_OPT_WR_SEQ, 0 },
	{ "wr-rnd", HDD_OPT_WR_RND, 0 },
	{ "iovec", HDD_OPT_IOVEC, 0 },
};

static int parse_hdd_opts(char *list, int *flags, int *oflags)
{
	char *token, *save = NULL;

	for (token = strtok_r(list, ",", &save); token; token = strtok_r(NULL, ",", &save)) {
		size_t i;
		int found = 0;

		for (i = 0; i < sizeof(hdd_opts) / sizeof(hdd_opts[0]); i++) {
			if (strcmp(token, hdd_opts[i].word) == 0) {
				*flags |= hdd_opts[i].flag;
				*oflags |= hdd_opts[i].oflag;
				found = 1;
			}
		}
		if (!found) {
			fprintf(stderr, "hdd-opts: unknown option '%s'\n", token);
			return -1;
		}
	}
	return 0;
}

static ssize_t hdd_write(int fd, uint8_t *buf, size_t count, int hdd_flags)
{
	if (hdd_flags & HDD_OPT_IOVEC) {
		struct iovec iov[HDD_IO_VEC_MAX];
		size_t seg = count / HDD_IO_VEC_MAX;
		size_t i;

		for (i = 0; i < HDD_IO_VEC_MAX; i++) {
			iov[i].iov_base = buf + i * seg;
			iov[i].iov_len = seg; // zdio-expect-none: ZDIO002
		}
		return writev(fd, iov, HDD_IO_VEC_MAX); // zdio-expect-site: o_direct_io
	}
	return write(fd, buf, count); // zdio-expect-site: o_direct_io
}

static ssize_t hdd_read(int fd, uint8_t *buf, size_t count, int hdd_flags)
{
	if (hdd_flags & HDD_OPT_IOVEC) {
		struct iovec iov[HDD_IO_VEC_MAX];
		size_t seg = count / HDD_IO_VEC_MAX;
		size_t i;

		for (i = 0; i < HDD_IO_VEC_MAX; i++) {
			iov[i].iov_base = buf + i * seg;
			iov[i].iov_len = seg;
		}
		return readv(fd, iov, HDD_IO_VEC_MAX); // zdio-expect-site: o_direct_io
	}
	return read(fd, buf, count); // zdio-expect-site: o_direct_io
}

int main(int argc, char **argv)
{
	int hdd_flags = 0, hdd_oflags = 0;
	uint8_t *buf;
	uint64_t i;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s FILE OPTS\n", argv[0]);
		return 2;
	}
	if (parse_hdd_opts(argv[2], &hdd_flags, &hdd_oflags) != 0)
		return 2;
	if ((hdd_flags & (HDD_OPT_WR_SEQ | HDD_OPT_WR_RND)) == 0)
		hdd_flags |= HDD_OPT_WR_SEQ;

	if (posix_memalign((void **)&buf, BUF_ALIGNMENT, HDD_WRITE_SIZE) != 0)
		return 1;
	memset(buf, 0xa5, HDD_WRITE_SIZE);

	fd = open(argv[1], O_CREAT | O_RDWR | O_TRUNC | hdd_oflags, 0600); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror("open");
		return 1;
	}
	(void)unlink(argv[1]);

	if (hdd_flags & HDD_OPT_WR_SEQ) {
		for (i = 0; i < HDD_BYTES; i += HDD_WRITE_SIZE) {
			buf[0] = (uint8_t)(i >> 16);
			if (hdd_write(fd, buf, HDD_WRITE_SIZE, hdd_flags) <= 0) { // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
				if (errno == ENOSPC)
					break;
				perror("write");
				return 1;
			}
		}
	}
	if (hdd_flags & HDD_OPT_WR_RND) {
		for (i = 0; i < HDD_BYTES; i += HDD_WRITE_SIZE) {
			off_t offset = (i == 0) ? HDD_BYTES : (off_t)(random() % HDD_BYTES) & ~511;

			if (lseek(fd, offset, SEEK_SET) < 0) {
				perror("lseek");
				return 1;
			}
			if (hdd_write(fd, buf, HDD_WRITE_SIZE, hdd_flags) <= 0) { // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001
				perror("write");
				return 1;
			}
		}
	}

	if (lseek(fd, 0, SEEK_SET) < 0)
		return 1;
	for (i = 0; i < HDD_BYTES; i += HDD_WRITE_SIZE) {
		ssize_t n = hdd_read(fd, buf, HDD_WRITE_SIZE, hdd_flags); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		if (n <= 0)
			break;
		if (n != HDD_WRITE_SIZE)
			fprintf(stderr, "short read at %llu\n", (unsigned long long)i);
	}
	close(fd);
	free(buf);
	return 0;
}

// Pattern: a file I/O benchmark whose --file-extra-flags words add O_SYNC, O_DSYNC or O_DIRECT to a global through a name table, that creates its test files by writing whole blocks from a page-aligned buffer with write() at the growing file position, keeps the descriptors in a global array, and whose sequential tests hand the block size and a running offset to pwrite/pread helpers (modelled on sysbench's src/tests/fileio/sb_fileio.c, file_parse_extra_flags(), create_files(), file_prepare(), file_execute_event() and sb_memalign()).
// zdio-category: file-scope-state
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define NUM_FILES 4
#define TOTAL_SIZE (64LL * 1024 * 1024)
#define MAX_REQUESTS 2048

static int file_extra_flags;
static const size_t file_block_size = 16384;
static long long file_size;
static int files[NUM_FILES];
static void *buffer;

static const struct {
	const char *name;
	int flag;
} extra_flag_names[] = {
	{ "sync", O_SYNC },
	{ "dsync", O_DSYNC },
	{ "direct", O_DIRECT },
};

static int parse_extra_flags(char *list)
{
	for (char *word = strtok(list, ","); word; word = strtok(NULL, ",")) {
		size_t i;

		for (i = 0; i < sizeof(extra_flag_names) / sizeof(extra_flag_names[0]); i++) {
			if (strcmp(word, extra_flag_names[i].name) == 0) {
				file_extra_flags |= extra_flag_names[i].flag;
				break;
			}
		}
		if (i == sizeof(extra_flag_names) / sizeof(extra_flag_names[0])) {
			fprintf(stderr, "invalid value for file-extra-flags: %s\n", word);
			return -1;
		}
	}
	return 0;
}

static size_t sb_getpagesize(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static void *sb_memalign(size_t size, size_t alignment)
{
	void *p = NULL;

	if (posix_memalign(&p, alignment, size) != 0)
		return NULL;
	return p;
}

static int create_files(void)
{
	char name[64];

	for (unsigned i = 0; i < NUM_FILES; i++) {
		snprintf(name, sizeof(name), "test_file.%u", i);
		int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC | file_extra_flags, 0644); // zdio-expect-site: o_direct_open
		if (fd < 0) {
			perror(name);
			return -1;
		}
		for (long long off = 0; off < file_size; off += (long long)file_block_size) {
			if (write(fd, buffer, file_block_size) < 0) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
				perror("write");
				close(fd);
				return -1;
			}
		}
		if (fsync(fd) < 0)
			perror("fsync");
		close(fd);
	}
	return 0;
}

static int open_files(void)
{
	char name[64];

	for (unsigned i = 0; i < NUM_FILES; i++) {
		snprintf(name, sizeof(name), "test_file.%u", i);
		files[i] = open(name, O_RDWR | file_extra_flags, 0644); // zdio-expect-site: o_direct_open
		if (files[i] < 0) {
			perror(name);
			return -1;
		}
	}
	return 0;
}

static ssize_t file_pwrite(unsigned file_id, const void *buf, size_t count, off_t offset)
{
	return pwrite(files[file_id], buf, count, offset); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
}

static ssize_t file_pread(unsigned file_id, void *buf, size_t count, off_t offset)
{
	return pread(files[file_id], buf, count, offset); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
}

static int sequential_test(int writes)
{
	off_t position = 0;
	unsigned file_id = 0;

	for (int req = 0; req < MAX_REQUESTS; req++) {
		ssize_t n;

		if (writes)
			n = file_pwrite(file_id, buffer, file_block_size, position); // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		else
			n = file_pread(file_id, buffer, file_block_size, position); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		if (n != (ssize_t)file_block_size) {
			fprintf(stderr, "short transfer on file %u at %lld\n", file_id, (long long)position);
			return -1;
		}
		position += (off_t)file_block_size;
		if (position >= file_size) {
			position = 0;
			file_id = (file_id + 1) % NUM_FILES;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int writes = 1;

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--file-extra-flags=", 19) == 0) {
			if (parse_extra_flags(argv[i] + 19) < 0)
				return 1;
		} else if (strcmp(argv[i], "--file-test-mode=seqrd") == 0) {
			writes = 0;
		}
	}

	file_size = TOTAL_SIZE / NUM_FILES;
	if ((file_extra_flags & O_DIRECT) && file_block_size % sb_getpagesize() != 0) {
		fprintf(stderr, "O_DIRECT needs a block size that is a multiple of the page size\n");
		return 1;
	}
	buffer = sb_memalign(file_block_size, sb_getpagesize());
	if (!buffer)
		return 1;
	memset(buffer, 'x', file_block_size);

	if (create_files() < 0 || open_files() < 0)
		return 1;
	if (sequential_test(writes) < 0)
		return 1;
	for (unsigned i = 0; i < NUM_FILES; i++)
		close(files[i]);
	free(buffer);
	return 0;
}

/* Pattern: static inline helpers in a suite header that open with the caller's flags and append with SAFE_WRITE (modelled on LTP's testcases/kernel/io/ltp-aiodio/common.h, io_append() and io_read_eof()). */
/* zdio-category: header-macro */
#ifndef AIODIO_COMMON_H
#define AIODIO_COMMON_H

#include <stdlib.h>
#include <string.h>
#include "tst_safe_io.h"

/* Writes count blocks of bs bytes filled with fill, through a descriptor opened with the caller's flags. */
static inline void io_append(const char *path, char fill, int flags, size_t bs, size_t count)
{
	char *block = SAFE_MEMALIGN(getpagesize(), bs);
	int fd;

	memset(block, fill, bs);
	fd = SAFE_OPEN(path, flags, 0666); /* zdio-expect-site: o_direct_open */
	while (count--)
		SAFE_WRITE(SAFE_WRITE_ALL, fd, block, bs); /* zdio-expect-site: o_direct_io */
	SAFE_CLOSE(fd);
	free(block);
}

/* Children read the file buffered while the parent appends. */
static inline int io_read_eof(const char *path)
{
	char chunk[4096];
	int fd, all_zero = 1;
	ssize_t got;

	fd = SAFE_OPEN(path, O_RDONLY, 0666); /* zdio-expect-none: o_direct_open */
	SAFE_LSEEK(fd, 0, SEEK_END);
	while ((got = SAFE_READ(0, fd, chunk, sizeof(chunk))) > 0) /* zdio-expect-none: o_direct_io */
		if (memchr(chunk, 1, got))
			all_zero = 0;
	SAFE_CLOSE(fd);
	return all_zero;
}

#endif

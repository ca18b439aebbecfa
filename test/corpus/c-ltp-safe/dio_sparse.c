// Pattern: SAFE_OPEN with O_DIRECT, SAFE_MEMALIGN with the page size and SAFE_WRITE with a record size from config.h (modelled on LTP's testcases/kernel/io/ltp-aiodio/dio_sparse.c).
// zdio-category: header-macro
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "tst_safe_io.h"

static void dio_sparse(int fd, size_t writesize, off_t filesize)
{
	char *bufptr = SAFE_MEMALIGN(getpagesize(), writesize);
	off_t done;

	memset(bufptr, 0, writesize);
	SAFE_LSEEK(fd, 0, SEEK_SET);
	for (done = 0; done < filesize; done += writesize)
		SAFE_WRITE(SAFE_WRITE_ALL, fd, bufptr, writesize); // zdio-expect-site: o_direct_io
	free(bufptr);
}

int main(int argc, char **argv)
{
	const char *filename = argc > 1 ? argv[1] : "dio_sparse";
	char *record;
	int fd;

	fd = SAFE_OPEN(filename, O_DIRECT | O_WRONLY | O_CREAT, 0666); // zdio-expect-site: o_direct_open
	dio_sparse(fd, DIO_CHUNK_BYTES, (off_t)DIO_CHUNK_BYTES * DIO_NUM_CHUNKS);

	/* One trailing record in the build's record size. */
	record = SAFE_MEMALIGN(getpagesize(), DIO_RECORD_BYTES);
	memset(record, 'r', DIO_RECORD_BYTES);
	SAFE_WRITE(SAFE_WRITE_ALL, fd, record, DIO_RECORD_BYTES); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO002
	free(record);
	SAFE_CLOSE(fd);
	return 0;
}

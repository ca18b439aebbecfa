// Pattern: vectored I/O at the implicit file position: a header iovec plus payload iovec written after open, then read back after lseek() (modelled on the iovec handling of liburing's test/read-write.c, done here with readv/writev on an O_DIRECT descriptor).
// zdio-category: implicit-position
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define PAGE 4096
#define PAYLOAD (31 * PAGE)

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "vec.data";
	void *hdr, *payload;
	struct iovec wr[2], rd[2];
	int fd;

	if (posix_memalign(&hdr, PAGE, PAGE) || posix_memalign(&payload, PAGE, PAYLOAD)) {
		fprintf(stderr, "posix_memalign failed\n");
		return 1;
	}
	memset(hdr, 'H', PAGE);
	memset(payload, 'P', PAYLOAD);

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0644); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror(path);
		return 1;
	}

	wr[0].iov_base = hdr;
	wr[0].iov_len = PAGE;
	wr[1].iov_base = payload;
	wr[1].iov_len = PAYLOAD;
	if (writev(fd, wr, 2) != PAGE + PAYLOAD) { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO004
		perror("writev");
		return 1;
	}
	/* A trailer page goes where the first batch ended, one record into the file. */
	if (writev(fd, wr, 1) != PAGE) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
		perror("writev trailer");
		return 1;
	}

	/* Skip the header on the way back: one page in, then a sub-page seek. */
	rd[0].iov_base = payload;
	rd[0].iov_len = PAYLOAD;
	rd[1].iov_base = hdr;
	rd[1].iov_len = 100; // zdio-expect: ZDIO002
	if (lseek(fd, PAGE, SEEK_SET) < 0 || readv(fd, rd, 2) < 0) // zdio-expect-site: o_direct_io
		fprintf(stderr, "readv with a short segment: %s\n", strerror(errno));

	rd[1].iov_len = PAGE;
	if (lseek(fd, 512, SEEK_SET) < 0) {
		perror("lseek");
		return 1;
	}
	if (readv(fd, rd, 2) < 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO003
		fprintf(stderr, "readv at 512: %s\n", strerror(errno));

	close(fd);
	free(hdr);
	free(payload);
	return 0;
}

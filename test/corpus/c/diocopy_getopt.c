// Pattern: a copy tool whose main() opens both files with O_DIRECT, sizes its buffer from getopt and writes a header block from the stack (modelled on LTP's testcases/kernel/io/direct_io/diotest1.c).
// zdio-category: within-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_BUFSIZE 8192
#define DEFAULT_BLOCKS 20
#define HEADER_LEN 512
#define TRAILER_PROBE 4096

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-b bufsize] [-n blocks] [-i infile] [-o outfile]\n", prog);
	exit(2);
}

static void fill(char *buf, int len, int pattern)
{
	memset(buf, pattern & 0xff, len);
}

int main(int argc, char *argv[])
{
	int bufsize = DEFAULT_BUFSIZE;
	int blocks = DEFAULT_BLOCKS;
	const char *infile = "diocopy.in";
	const char *outfile = "diocopy.out";
	char header[HEADER_LEN];
	char *buf, *tail;
	off_t offset;
	ssize_t n;
	int fd_in, fd_out, c, i;

	while ((c = getopt(argc, argv, "b:n:i:o:")) != -1) {
		switch (c) {
		case 'b':
			bufsize = atoi(optarg);
			if (bufsize <= 0 || bufsize % 4096 != 0) {
				fprintf(stderr, "bufsize must be a positive multiple of 4096\n");
				usage(argv[0]);
			}
			break;
		case 'n':
			blocks = atoi(optarg);
			break;
		case 'i':
			infile = optarg;
			break;
		case 'o':
			outfile = optarg;
			break;
		default:
			usage(argv[0]);
		}
	}

	fd_in = open(infile, O_DIRECT | O_RDWR | O_CREAT, 0666); // zdio-expect-site: o_direct_open
	if (fd_in < 0) {
		perror("open infile (does the file system support O_DIRECT?)");
		return 1;
	}
	fd_out = open(outfile, O_DIRECT | O_RDWR | O_CREAT | O_TRUNC, 0666); // zdio-expect-site: o_direct_open
	if (fd_out < 0) {
		perror("open outfile");
		return 1;
	}

	buf = valloc(bufsize);
	if (!buf) {
		perror("valloc");
		return 1;
	}
	for (i = 0; i < blocks; i++) {
		fill(buf, bufsize, i);
		if (write(fd_in, buf, bufsize) < 0) { // zdio-expect-site: o_direct_io
			perror("write infile");
			return 1;
		}
	}

	/* The header says what was copied; it is written in front of the data. */
	memset(header, 0, sizeof(header));
	snprintf(header, sizeof(header), "diocopy %d x %d\n", blocks, bufsize);
	if (pwrite(fd_out, header, HEADER_LEN, 0) != HEADER_LEN) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
		perror("pwrite header");
		return 1;
	}

	if (lseek(fd_in, 0, SEEK_SET) < 0) {
		perror("lseek");
		return 1;
	}
	offset = 0;
	while ((n = read(fd_in, buf, bufsize)) > 0) { // zdio-expect-site: o_direct_io
		if (pwrite(fd_out, buf, n, offset + HEADER_LEN) != n) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO003
			perror("pwrite data");
			return 1;
		}
		offset += n;
	}
	if (n < 0) {
		perror("read infile");
		return 1;
	}

	/* Read back the first page behind the header to check the copy started where it should. */
	tail = malloc(TRAILER_PROBE);
	if (!tail)
		return 1;
	if (pread(fd_out, tail, TRAILER_PROBE, HEADER_LEN) != TRAILER_PROBE) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO003
		fprintf(stderr, "short read behind the header: %s\n", strerror(errno));
		return 1;
	}
	if (memcmp(tail, buf, 16) != 0)
		fprintf(stderr, "copy does not match\n");

	free(tail);
	free(buf);
	close(fd_in);
	close(fd_out);
	return 0;
}

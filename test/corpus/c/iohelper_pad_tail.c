// Pattern: a helper process that streams a VM save image between a pipe and a file opened with O_DIRECT on request, through one aligned 1 MiB buffer; the read and write ends swap with the direction, and the short last block is padded with zeros up to the 64 KiB alignment before the write, the file being truncated to the true size afterwards (modelled on libvirt's src/util/iohelper.c runIO(), virFileDirectAlign() and VIR_FILE_DIRECT_ALIGN_MASK).
// zdio-category: branch-correlated
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define DIRECT_ALIGN_MASK ((64 * 1024) - 1)
#define IO_BUFFER_SIZE (1024 * 1024)

static size_t direct_align(size_t size)
{
	return (size + DIRECT_ALIGN_MASK) & ~(size_t)DIRECT_ALIGN_MASK;
}

static int run_io(const char *path, int fd, int oflags)
{
	void *base = NULL;
	char *buf;
	size_t buflen = IO_BUFFER_SIZE;
	off_t total = 0;
	bool direct = (oflags & O_DIRECT) != 0;
	bool shortRead = false;
	int fdin, fdout;
	const char *fdinname, *fdoutname;

	if (posix_memalign(&base, DIRECT_ALIGN_MASK + 1, buflen) != 0) {
		fprintf(stderr, "unable to allocate the I/O buffer\n");
		return -1;
	}
	buf = base;

	switch (oflags & O_ACCMODE) {
	case O_RDONLY:
		fdin = fd;
		fdinname = path;
		fdout = STDOUT_FILENO;
		fdoutname = "stdout";
		break;
	case O_WRONLY:
		fdin = STDIN_FILENO;
		fdinname = "stdin";
		fdout = fd;
		fdoutname = path;
		break;
	default:
		fprintf(stderr, "%s: O_RDWR is not supported\n", path);
		free(base);
		return -1;
	}

	for (;;) {
		ssize_t got;

		if ((got = read(fdin, buf, buflen)) < 0) { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
			if (errno == EINTR)
				continue;
			fprintf(stderr, "unable to read %s: %s\n", fdinname, strerror(errno));
			goto error;
		}
		if (got == 0)
			break;
		total += got;

		/* The last write to an O_DIRECT file is padded to the alignment. */
		if (direct && fdout == fd && (got & DIRECT_ALIGN_MASK) != 0) {
			if (shortRead) {
				fprintf(stderr, "%s: unexpected partial read\n", fdinname);
				goto error;
			}
			shortRead = true;
			size_t aligned = direct_align((size_t)got);
			memset(buf + got, 0, aligned - (size_t)got);
			got = (ssize_t)aligned;
		}

		if (write(fdout, buf, (size_t)got) < 0) { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
			fprintf(stderr, "unable to write %s: %s\n", fdoutname, strerror(errno));
			goto error;
		}
	}

	if (direct && fdout == fd && shortRead && ftruncate(fd, total) < 0) {
		fprintf(stderr, "unable to truncate %s: %s\n", fdoutname, strerror(errno));
		goto error;
	}
	free(base);
	return 0;

error:
	free(base);
	return -1;
}

int main(int argc, char **argv)
{
	int oflags, fd;

	if (argc != 4) {
		fprintf(stderr, "usage: %s PATH read|write direct|cached\n", argv[0]);
		return 2;
	}
	oflags = strcmp(argv[2], "write") == 0 ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY;
	if (strcmp(argv[3], "direct") == 0)
		oflags |= O_DIRECT;

	fd = open(argv[1], oflags, 0600); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		fprintf(stderr, "unable to open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (run_io(argv[1], fd, oflags) < 0)
		return 1;
	if (close(fd) < 0)
		return 1;
	return 0;
}

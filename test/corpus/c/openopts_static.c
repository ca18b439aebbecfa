// Pattern: open flags kept in a file-scope static that an option can change, the descriptor opened in setup() and used by run() and verify() (modelled on LTP's new-API tests in testcases/kernel/io/ltp-aiodio, with setup/run callbacks and file-scope state).
// zdio-category: file-scope-state
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FNAME "dio_chunks"
#define CHUNK (32 * 4096)
#define NUM_CHUNKS 4
#define TAIL_LEN 1000

static int openopts = O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT;
static int fd = -1;
static char *wbuf;

static void die(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	exit(1);
}

static void setup(void)
{
	fd = open(FNAME, openopts, 0600); // zdio-expect-site: o_direct_open
	if (fd < 0)
		die("open " FNAME);
	if (posix_memalign((void **)&wbuf, 4096, NUM_CHUNKS * CHUNK))
		die("posix_memalign");
	memset(wbuf, 0xaa, NUM_CHUNKS * CHUNK);
}

static void run(void)
{
	int i;

	for (i = 0; i < NUM_CHUNKS; i++) {
		if (pwrite(fd, wbuf + i * CHUNK, CHUNK, (off_t)i * CHUNK) != CHUNK) // zdio-expect-site: o_direct_io
			die("pwrite chunk");
	}
	/* A record of trailing metadata after the chunks. */
	if (pwrite(fd, wbuf, TAIL_LEN, (off_t)NUM_CHUNKS * CHUNK) != TAIL_LEN) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO002
		die("pwrite tail");
}

static void verify(void)
{
	char *rbuf = malloc(CHUNK);
	int rfd;

	if (!rbuf)
		die("malloc");
	/* Read back the same way it was written. */
	rfd = open(FNAME, O_RDONLY | (openopts & O_DIRECT)); // zdio-expect-site: o_direct_open
	if (rfd < 0)
		die("open for verify");
	if (pread(rfd, rbuf, CHUNK, 0) != CHUNK) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
		die("pread");
	if (memcmp(rbuf, wbuf, CHUNK) != 0)
		fprintf(stderr, "chunk 0 differs\n");
	close(rfd);
	free(rbuf);
}

static void cleanup(void)
{
	if (fd >= 0)
		close(fd);
	unlink(FNAME);
}

int main(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "B")) != -1) {
		if (c == 'B')
			openopts &= ~O_DIRECT;   /* -B: buffered, for comparison */
		else
			return 2;
	}
	setup();
	run();
	verify();
	cleanup();
	return 0;
}

// Pattern: the O_DIRECT descriptor travels to worker threads inside a struct passed as the thread argument; the workers read interleaved halves of extents and the first one also reads a sector-sized header (modelled on xfstests' src/dio-interleaved.c).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct worker {
	int fd;
	int half;              /* 0: first half of each extent, 1: second half */
	unsigned long extent;  /* extent size in bytes */
	unsigned long count;   /* number of extents */
	pthread_barrier_t *sync;
};

static void *read_halves(void *arg)
{
	struct worker *w = arg;
	unsigned long half_len = w->extent / 2;
	char header[512];
	long long pos;
	void *buf;
	int err;

	if (w->half == 0 && pread(w->fd, header, sizeof(header), 0) < 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
		fprintf(stderr, "header: %s\n", strerror(errno));

	err = posix_memalign(&buf, half_len, half_len);
	if (err) {
		fprintf(stderr, "posix_memalign: %s\n", strerror(err));
		return NULL;
	}
	/* Walk the extents backwards so that the two workers meet in every extent. */
	for (pos = (long long)(w->count - 1) * w->extent + (w->half ? half_len : 0); pos >= 0; pos -= w->extent) {
		pthread_barrier_wait(w->sync);
		if (pread(w->fd, buf, half_len, pos) < 0) // zdio-expect-site: o_direct_io
			fprintf(stderr, "read at %lld: %s\n", pos, strerror(errno));
	}
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_barrier_t sync;
	struct worker w[2];
	pthread_t tid;
	int fd, i, err;

	if (argc != 4) {
		fprintf(stderr, "usage: %s FILE EXTENT_BYTES EXTENTS\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_DIRECT); // zdio-expect-site: o_direct_open
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	err = pthread_barrier_init(&sync, NULL, 2);
	if (err) {
		fprintf(stderr, "barrier: %s\n", strerror(err));
		return 1;
	}
	for (i = 0; i < 2; i++) {
		w[i].fd = fd;
		w[i].half = i;
		w[i].extent = strtoul(argv[2], NULL, 0);
		w[i].count = strtoul(argv[3], NULL, 0);
		w[i].sync = &sync;
	}
	err = pthread_create(&tid, NULL, read_halves, &w[0]);
	if (err) {
		fprintf(stderr, "pthread_create: %s\n", strerror(err));
		return 1;
	}
	read_halves(&w[1]);
	pthread_join(tid, NULL);
	pthread_barrier_destroy(&sync);
	close(fd);
	return 0;
}

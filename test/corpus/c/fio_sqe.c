// Pattern: io_uring submission entries filled field by field, as an I/O engine does without liburing's prep helpers (modelled on fio's engines/io_uring.c, fio_ioring_prep()).
// zdio-category: async-io
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/io_uring.h>

#define PROBE_LEN 512

static int dev_fd = -1;

struct ioring_sq {
	struct io_uring_sqe *sqes;
	unsigned tail;
	unsigned mask;
};

static struct io_uring_sqe *next_sqe(struct ioring_sq *sq)
{
	struct io_uring_sqe *sqe = &sq->sqes[sq->tail & sq->mask];

	sq->tail++;
	memset(sqe, 0, sizeof(*sqe));
	return sqe;
}

/* The probe that tells whether the device is there: a small read of its first bytes. */
static int prep_probe(struct ioring_sq *sq)
{
	struct io_uring_sqe *sqe;
	char *probe = malloc(PROBE_LEN);

	if (!probe)
		return -1;
	sqe = next_sqe(sq);

	sqe->opcode = IORING_OP_READ; // zdio-expect-site: o_direct_io
	sqe->fd = dev_fd;
	sqe->addr = (unsigned long)probe; // zdio-expect: ZDIO001
	sqe->len = PROBE_LEN; // zdio-expect: ZDIO002
	sqe->off = 0;
	sqe->user_data = (uintptr_t)probe;
	return 0;
}

static void prep_record(struct ioring_sq *sq, void *buf, unsigned long long off)
{
	struct io_uring_sqe *sqe = next_sqe(sq);

	sqe->opcode = IORING_OP_WRITE; // zdio-expect-site: o_direct_io
	sqe->fd = dev_fd;
	sqe->addr = (uintptr_t)buf;
	sqe->len = 128 * 1024;
	sqe->off = off;
	sqe->user_data = 2;
}

int setup_engine(const char *path, struct ioring_sq *sq, int entries)
{
	void *record;

	dev_fd = open(path, O_RDWR | O_DIRECT); // zdio-expect-site: o_direct_open
	if (dev_fd < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	sq->sqes = calloc(entries, sizeof(struct io_uring_sqe));
	sq->mask = entries - 1;
	sq->tail = 0;
	if (!sq->sqes || posix_memalign(&record, 4096, 128 * 1024))
		return -1;
	if (prep_probe(sq))
		return -1;
	prep_record(sq, record, 3 * 4096); // zdio-expect: ZDIO004
	return 0;
}

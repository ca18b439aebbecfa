// Pattern: an io_uring copy loop that queues a readv per chunk from a malloc'd header-plus-buffer and a writev once the read completes, on descriptors opened with O_DIRECT (modelled on liburing's examples/io_uring-cp.c and test/read-write.c).
// zdio-category: async-io
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <liburing.h>

#define RING_DEPTH 32
#define CHUNK (32 * 1024)
#define LABEL_LEN 512

static int src_fd = -1, dst_fd = -1;

/* One chunk in flight: the data follows this header in the same allocation. */
struct chunk {
	off_t at;
	size_t len;
	int writing;
	struct iovec vec;
};

static struct chunk *chunk_new(off_t at, size_t len)
{
	struct chunk *c = malloc(sizeof(*c) + len);

	if (!c)
		return NULL;
	c->at = at;
	c->len = len;
	c->writing = 0;
	c->vec.iov_base = c + 1;
	c->vec.iov_len = len;
	return c;
}

static int submit_read(struct io_uring *ring, off_t at, size_t len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct chunk *c;

	if (!sqe)
		return -EBUSY;
	c = chunk_new(at, len);
	if (!c)
		return -ENOMEM;
	io_uring_prep_readv(sqe, src_fd, &c->vec, 1, c->at); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
	io_uring_sqe_set_data(sqe, c);
	return 0;
}

/* The chunk comes back from the completion queue and is written where it was read. */
static int submit_write(struct io_uring *ring, struct chunk *c)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	c->writing = 1;
	io_uring_prep_writev(sqe, dst_fd, &c->vec, 1, c->at); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
	io_uring_sqe_set_data(sqe, c);
	return io_uring_submit(ring) < 0 ? -EIO : 0;
}

static int copy_all(struct io_uring *ring, off_t size)
{
	off_t next = 0;
	unsigned inflight = 0;

	while (next < size || inflight) {
		struct io_uring_cqe *cqe;
		struct chunk *c;

		while (next < size && inflight < RING_DEPTH) {
			size_t len = size - next > CHUNK ? CHUNK : (size_t)(size - next);
			if (submit_read(ring, next, len))
				break;
			next += len;
			inflight++;
		}
		io_uring_submit(ring);
		if (io_uring_wait_cqe(ring, &cqe) < 0)
			return -1;
		c = io_uring_cqe_get_data(cqe);
		if (cqe->res < 0) {
			fprintf(stderr, "%s at %lld: %s\n", c->writing ? "write" : "read", (long long)c->at, strerror(-cqe->res));
			return -1;
		}
		io_uring_cqe_seen(ring, cqe);
		if (c->writing) {
			free(c);
			inflight--;
		} else if (submit_write(ring, c)) {
			return -1;
		}
	}
	return 0;
}

/* The volume label is copied first, on its own. */
static int copy_label(struct io_uring *ring)
{
	static char label[LABEL_LEN];
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	void *blk;

	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, src_fd, label, LABEL_LEN, 0); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
	io_uring_submit_and_wait(ring, 1);
	if (io_uring_peek_cqe(ring, &cqe) == 0)
		io_uring_cqe_seen(ring, cqe);

	if (posix_memalign(&blk, 4096, CHUNK))
		return -1;
	memcpy(blk, label, LABEL_LEN);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_write(sqe, dst_fd, blk, CHUNK, 0); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
	io_uring_submit_and_wait(ring, 1);
	if (io_uring_peek_cqe(ring, &cqe) == 0)
		io_uring_cqe_seen(ring, cqe);
	free(blk);
	return 0;
}

int main(int argc, char *argv[])
{
	struct io_uring ring;
	struct stat st;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SOURCE DEST\n", argv[0]);
		return 2;
	}
	src_fd = open(argv[1], O_RDONLY | O_DIRECT); // zdio-expect-site: o_direct_open
	dst_fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644); // zdio-expect-site: o_direct_open
	if (src_fd < 0 || dst_fd < 0) {
		perror("open");
		return 1;
	}
	if (fstat(src_fd, &st) < 0 || io_uring_queue_init(RING_DEPTH, &ring, 0) < 0) {
		perror("setup");
		return 1;
	}
	rc = copy_label(&ring) || copy_all(&ring, st.st_size);
	io_uring_queue_exit(&ring);
	close(src_fd);
	close(dst_fd);
	return rc ? 1 : 0;
}

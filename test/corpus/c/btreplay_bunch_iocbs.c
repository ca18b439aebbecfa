// Pattern: a block-trace replayer that opens each replay device with O_RDWR | O_DIRECT into a per-thread struct, and turns each recorded I/O of a bunch (sector, bytes, direction) into one libaio iocb on a page-aligned packet buffer, the offset being the sector shifted by 9 (modelled on blktrace's btreplay/btreplay.c, struct thr_info, iocbs_map() and iocb_setup()).
// zdio-category: table
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECTOR_SHIFT 9
#define MAX_BUNCH 8
#define PKT_BYTES (128 * 1024)

struct io_spec {
	uint64_t time;
	uint64_t sector;
	uint32_t bytes;
	int rw;
};

struct iocb_pkt {
	struct iocb iocb;
	void *buf;
	size_t nbytes;
};

struct thr_info {
	int ofd;
	io_context_t ctx;
	const char *devnm;
	struct iocb_pkt pkts[MAX_BUNCH];
	struct iocb *iocbs[MAX_BUNCH];
};

/* One recorded bunch: time stamp, start sector, byte count, 1 for a write. */
static const struct io_spec bunch[] = {
	{ 0, 0, 131072, 1 }, // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
	{ 10, 256, 131072, 0 }, // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	{ 20, 8, 4096, 1 }, // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	{ 30, 1, 4096, 0 }, // zdio-expect: ZDIO003, zdio-expect-none: ZDIO001, ZDIO002
	{ 40, 16, 1024, 0 }, // zdio-expect: ZDIO002, zdio-expect-none: ZDIO001, ZDIO003
};

static int pgsize;

static void fatal(const char *what, int err)
{
	fprintf(stderr, "btreplay: %s: %s\n", what, strerror(err));
	exit(1);
}

static void open_dev(struct thr_info *tip)
{
	tip->ofd = open(tip->devnm, O_RDWR | O_DIRECT); // zdio-expect-site: o_direct_open
	if (tip->ofd < 0)
		fatal(tip->devnm, errno);
}

static void iocbs_map(struct thr_info *tip)
{
	for (int i = 0; i < MAX_BUNCH; i++) {
		struct iocb_pkt *pkt = &tip->pkts[i];

		if (posix_memalign(&pkt->buf, pgsize, PKT_BYTES))
			fatal("posix_memalign", ENOMEM);
		memset(pkt->buf, 0, PKT_BYTES);
		tip->iocbs[i] = &pkt->iocb;
	}
}

static void iocb_setup(struct thr_info *tip, struct iocb_pkt *pkt, const struct io_spec *spec)
{
	off_t off = (off_t)spec->sector << SECTOR_SHIFT;

	pkt->nbytes = spec->bytes;
	if (spec->rw)
		io_prep_pwrite(&pkt->iocb, tip->ofd, pkt->buf, pkt->nbytes, off); // zdio-expect-site: o_direct_io
	else
		io_prep_pread(&pkt->iocb, tip->ofd, pkt->buf, pkt->nbytes, off); // zdio-expect-site: o_direct_io
}

static void replay_bunch(struct thr_info *tip)
{
	int n = (int)(sizeof(bunch) / sizeof(bunch[0]));
	struct io_event events[MAX_BUNCH];

	for (int i = 0; i < n; i++)
		iocb_setup(tip, &tip->pkts[i], &bunch[i]);

	int ret = io_submit(tip->ctx, n, tip->iocbs);
	if (ret != n)
		fatal("io_submit", ret < 0 ? -ret : EIO);
	ret = io_getevents(tip->ctx, n, n, events, NULL);
	if (ret != n)
		fatal("io_getevents", ret < 0 ? -ret : EIO);
	for (int i = 0; i < n; i++)
		if ((long)events[i].res < 0)
			fprintf(stderr, "btreplay: iocb %d: %s\n", i, strerror((int)-events[i].res));
}

int main(int argc, char **argv)
{
	struct thr_info tip;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <dev>\n", argv[0]);
		return 2;
	}
	memset(&tip, 0, sizeof(tip));
	pgsize = getpagesize();
	tip.devnm = argv[1];
	open_dev(&tip);
	if (io_setup(MAX_BUNCH, &tip.ctx))
		fatal("io_setup", errno);
	iocbs_map(&tip);
	replay_bunch(&tip);
	io_destroy(tip.ctx);
	close(tip.ofd);
	return 0;
}

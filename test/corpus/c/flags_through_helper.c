// Pattern: open flags built by helpers, one setting O_DIRECT through an out-parameter for a no-cache mode and one returning the flags with O_CLOEXEC added, then a probe read on the struct's descriptor (modelled on qemu's block/file-posix.c, raw_parse_flags() and raw_probe_alignment()).
// zdio-category: call-form
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum cache_mode { CACHE_WRITEBACK, CACHE_WRITETHROUGH, CACHE_NONE };

struct raw_opts {
	bool cloexec;
	bool create;
	bool writable;
	enum cache_mode cache;
};

struct raw_state {
	int fd;
	int open_flags;
	size_t buf_align;
	struct raw_opts opts;
};

/* Turns the image options into open(2) flags; the caller's flags are updated in place. */
static void image_flags(const struct raw_opts *o, int *flags)
{
	*flags &= ~O_ACCMODE;
	*flags |= o->writable ? O_RDWR : O_RDONLY;
	switch (o->cache) {
	case CACHE_WRITETHROUGH:
		*flags |= O_DSYNC;
		break;
	case CACHE_NONE:
		/* bypass the host page cache entirely */
		*flags |= O_DIRECT;
		break;
	case CACHE_WRITEBACK:
		break;
	}
}

static int cloexec_flags(int flags, const struct raw_opts *o)
{
	if (o->cloexec)
		flags |= O_CLOEXEC;
	if (o->create)
		flags |= O_CREAT;
	return flags;
}

/* Learns the smallest request the host accepts: first a sector, then a page. */
static void raw_probe_alignment(struct raw_state *s)
{
	char *buf = malloc(512);
	void *page;

	if (!buf)
		return;
	if (pread(s->fd, buf, 512, 0) >= 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
		s->buf_align = 512;
	free(buf);
	if (posix_memalign(&page, 4096, 4096) == 0) {
		if (pread(s->fd, page, 4096, 0) >= 0) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
			s->buf_align = s->buf_align ? s->buf_align : 4096;
		free(page);
	}
}

int raw_open(struct raw_state *s, const char *filename)
{
	int open_flags = 0;

	image_flags(&s->opts, &open_flags);
	open_flags = cloexec_flags(open_flags, &s->opts);
	s->open_flags = open_flags;
	s->fd = open(filename, open_flags, 0644); // zdio-expect-site: o_direct_open
	if (s->fd < 0) {
		fprintf(stderr, "%s: cannot open image: %s\n", filename, strerror(errno));
		return -errno;
	}
	raw_probe_alignment(s);
	return 0;
}

int main(int argc, char **argv)
{
	struct raw_state s = { .fd = -1, .opts = { .cloexec = true, .create = false, .writable = true, .cache = CACHE_WRITEBACK } };

	if (argc < 2) {
		fprintf(stderr, "usage: %s IMAGE [none|writethrough]\n", argv[0]);
		return 2;
	}
	if (argc > 2)
		s.opts.cache = strcmp(argv[2], "none") == 0 ? CACHE_NONE : CACHE_WRITETHROUGH;
	if (raw_open(&s, argv[1]) < 0)
		return 1;
	printf("request alignment %zu\n", s.buf_align);
	close(s.fd);
	return 0;
}

// Pattern: a command-line front end to copy_file_range(2) that parses each range argument "src_offset:dst_offset:length" (an empty length meaning up to the end of the source) into a struct, keeps the ranges in a growing array, and copies each one in a loop that stops on a zero return and reports errors (modelled on util-linux's misc-utils/copyfilerange.c, parse_range(), copy_range() and main()).
// zdio-category: negative
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct range {
	off_t in_offset;
	off_t out_offset;
	size_t length; /* 0: up to the end of the source */
};

static int parse_size(const char *s, const char **end, uint64_t *value)
{
	char *e;

	errno = 0;
	*value = strtoull(s, &e, 0);
	if (errno || e == s)
		return -1;
	switch (*e) {
	case 'K': *value <<= 10; e++; break;
	case 'M': *value <<= 20; e++; break;
	case 'G': *value <<= 30; e++; break;
	default: break;
	}
	*end = e;
	return 0;
}

static int parse_range(const char *arg, struct range *r)
{
	uint64_t v[3] = { 0, 0, 0 };
	const char *p = arg;

	for (int i = 0; i < 3; i++) {
		if (*p == '\0' || *p == ':') {
			v[i] = 0;
		} else if (parse_size(p, &p, &v[i]) < 0) {
			return -1;
		}
		if (i < 2) {
			if (*p != ':')
				return -1;
			p++;
		}
	}
	if (*p != '\0')
		return -1;
	r->in_offset = (off_t)v[0];
	r->out_offset = (off_t)v[1];
	r->length = (size_t)v[2];
	return 0;
}

static int copy_range(int in, int out, const struct range *r, off_t in_size, int verbose)
{
	off_t in_off = r->in_offset;
	off_t out_off = r->out_offset;
	size_t remaining = r->length;

	if (remaining == 0)
		remaining = in_off < in_size ? (size_t)(in_size - in_off) : 0;

	while (remaining > 0) {
		ssize_t n = copy_file_range(in, &in_off, out, &out_off, remaining, 0); // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO010, ZDIO011, ZDIO012
		if (n < 0) {
			fprintf(stderr, "copy_file_range: %s\n", strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		remaining -= (size_t)n;
	}
	if (verbose)
		printf("copied %jd bytes to offset %jd\n", (intmax_t)(in_off - r->in_offset), (intmax_t)r->out_offset);
	return 0;
}

int main(int argc, char **argv)
{
	struct range *ranges = NULL;
	size_t nranges = 0;
	int verbose = 0, argi = 1, rc = 0;
	struct stat st;

	if (argi < argc && strcmp(argv[argi], "-v") == 0) {
		verbose = 1;
		argi++;
	}
	if (argc - argi < 2) {
		fprintf(stderr, "usage: %s [-v] source destination [src:dst:len ...]\n", argv[0]);
		return 2;
	}

	int in = open(argv[argi], O_RDONLY | O_CLOEXEC); // zdio-expect-none: o_direct_open
	int out = open(argv[argi + 1], O_WRONLY | O_CREAT | O_CLOEXEC, 0644); // zdio-expect-none: o_direct_open
	if (in < 0 || out < 0 || fstat(in, &st) < 0) {
		perror("open");
		return 1;
	}

	for (int i = argi + 2; i < argc; i++) {
		struct range *grown = realloc(ranges, (nranges + 1) * sizeof(*ranges));
		if (!grown)
			return 1;
		ranges = grown;
		if (parse_range(argv[i], &ranges[nranges]) < 0) {
			fprintf(stderr, "invalid range: %s\n", argv[i]);
			return 2;
		}
		nranges++;
	}
	if (nranges == 0) {
		ranges = calloc(1, sizeof(*ranges));
		if (!ranges)
			return 1;
		nranges = 1;
	}

	for (size_t i = 0; i < nranges && rc == 0; i++)
		rc = copy_range(in, out, &ranges[i], st.st_size, verbose);

	free(ranges);
	close(in);
	if (close(out) < 0)
		rc = -1;
	return rc ? 1 : 0;
}

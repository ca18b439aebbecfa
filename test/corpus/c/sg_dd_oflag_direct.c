// Pattern: a dd for SCSI and block devices whose iflag=/oflag= lists are parsed into a struct of flags, one of them "direct", which the open helpers turn into O_DIRECT; the copy loop moves bpt blocks of bs bytes through a buffer aligned by hand to the page size (modelled on sg3_utils' src/sg_dd.c, struct flags_t, process_flags(), open_if()/open_of() and the wrkPos alignment of its main loop).
// zdio-category: call-form
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEF_BLOCK_SIZE 512
#define DEF_BLOCKS_PER_TRANSFER 128

struct flags_t {
	int append;
	int direct;
	int dsync;
	int excl;
};

static int process_flags(const char *arg, struct flags_t *fp)
{
	char buff[256];
	char *cp;
	char *np;

	strncpy(buff, arg, sizeof(buff) - 1);
	buff[sizeof(buff) - 1] = '\0';
	for (cp = buff; cp; cp = np) {
		np = strchr(cp, ',');
		if (np)
			*np++ = '\0';
		if (0 == strcmp(cp, "append"))
			fp->append = 1;
		else if (0 == strcmp(cp, "direct"))
			fp->direct = 1;
		else if (0 == strcmp(cp, "dsync"))
			fp->dsync = 1;
		else if (0 == strcmp(cp, "excl"))
			fp->excl = 1;
		else {
			fprintf(stderr, "unrecognised flag: %s\n", cp);
			return 1;
		}
	}
	return 0;
}

static int open_if(const char *inf, const struct flags_t *ifp)
{
	int flags = O_RDONLY;

	if (ifp->direct)
		flags |= O_DIRECT;
	if (ifp->excl)
		flags |= O_EXCL;
	int infd = open(inf, flags); // zdio-expect-site: o_direct_open
	if (infd < 0)
		perror(inf);
	return infd;
}

static int open_of(const char *outf, const struct flags_t *ofp)
{
	int flags = O_WRONLY | O_CREAT;

	if (ofp->direct)
		flags |= O_DIRECT;
	if (ofp->dsync)
		flags |= O_DSYNC;
	if (ofp->append)
		flags |= O_APPEND;
	int outfd = open(outf, flags, 0666); // zdio-expect-site: o_direct_open
	if (outfd < 0)
		perror(outf);
	return outfd;
}

int main(int argc, char **argv)
{
	struct flags_t in_flags = { 0 };
	struct flags_t out_flags = { 0 };
	const char *inf = NULL;
	const char *outf = NULL;
	long long dd_count = -1;
	int bs = DEF_BLOCK_SIZE;
	int bpt = DEF_BLOCKS_PER_TRANSFER;

	for (int k = 1; k < argc; k++) {
		char *key = argv[k];
		char *val = strchr(key, '=');

		if (!val)
			continue;
		*val++ = '\0';
		if (0 == strcmp(key, "if"))
			inf = val;
		else if (0 == strcmp(key, "of"))
			outf = val;
		else if (0 == strcmp(key, "count"))
			dd_count = atoll(val);
		else if (0 == strcmp(key, "bpt"))
			bpt = atoi(val);
		else if (0 == strcmp(key, "iflag") && process_flags(val, &in_flags))
			return 1;
		else if (0 == strcmp(key, "oflag") && process_flags(val, &out_flags))
			return 1;
	}
	if (!inf || !outf || dd_count <= 0 || bpt <= 0) {
		fprintf(stderr, "usage: sg_dd if=IFILE of=OFILE count=N [bpt=BPT] [iflag=..] [oflag=..]\n");
		return 1;
	}

	int infd = open_if(inf, &in_flags);
	int outfd = open_of(outf, &out_flags);
	if (infd < 0 || outfd < 0)
		return 1;

	size_t psz = (size_t)getpagesize();
	unsigned char *wrkBuff = malloc((size_t)bs * bpt + psz);
	if (!wrkBuff)
		return 1;
	unsigned char *wrkPos = (unsigned char *)(((uintptr_t)wrkBuff + psz - 1) & ~((uintptr_t)psz - 1));

	while (dd_count > 0) {
		int blocks = (dd_count > bpt) ? bpt : (int)dd_count;
		ssize_t res;

		while ((res = read(infd, wrkPos, (size_t)blocks * bs)) < 0 && errno == EINTR) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
			;
		if (res <= 0)
			break;
		blocks = (int)(res / bs);
		while ((res = write(outfd, wrkPos, (size_t)blocks * bs)) < 0 && errno == EINTR) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
			;
		if (res < 0) {
			perror("writing");
			break;
		}
		dd_count -= blocks;
	}
	free(wrkBuff);
	close(infd);
	close(outfd);
	return dd_count > 0;
}

// Pattern: a static-file sender that switches a descriptor to O_DIRECT with fcntl(F_SETFL) once the file passes a configured size, reads it into buffers aligned to a configured directio alignment, sniffs the first aligned unit, and switches O_DIRECT off again before reading the unaligned tail (modelled on nginx's ngx_directio_on()/ngx_directio_off() in src/os/unix/ngx_files.c, the directio and directio_alignment directives and ngx_output_chain_align_file_buf()).
// zdio-category: file-scope-state
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define FILE_ERROR (-1)

typedef struct {
	off_t directio;            /* files at least this large are read with O_DIRECT */
	size_t directio_alignment; /* buffers (and reads) are aligned to this */
	size_t output_buffer;      /* one output buffer */
} core_loc_conf;

static core_loc_conf core_conf = {
	4 * 1024 * 1024,
	512,
	32768,
};

typedef struct {
	int fd;
	off_t size;
	unsigned directio;
	const char *name;
} open_file_info;

static int directio_on(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags == -1)
		return FILE_ERROR;
	return fcntl(fd, F_SETFL, flags | O_DIRECT); // zdio-expect-site: o_direct_open
}

static int directio_off(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags == -1)
		return FILE_ERROR;
	return fcntl(fd, F_SETFL, flags & ~O_DIRECT); // zdio-expect-none: o_direct_open
}

static ssize_t read_file(open_file_info *of, unsigned char *buf, size_t size, off_t offset)
{
	ssize_t n = pread(of->fd, buf, size, offset); // zdio-expect-site: o_direct_io

	if (n == -1)
		fprintf(stderr, "pread() \"%s\" failed: %s\n", of->name, strerror(errno));
	return n;
}

static int open_cached_file(const char *name, open_file_info *of)
{
	struct stat st;

	memset(of, 0, sizeof(*of));
	of->name = name;
	of->fd = open(name, O_RDONLY | O_NONBLOCK);
	if (of->fd == -1)
		return FILE_ERROR;
	if (fstat(of->fd, &st) == -1) {
		close(of->fd);
		return FILE_ERROR;
	}
	of->size = st.st_size;
	if (of->size < core_conf.directio) {
		fprintf(stderr, "%s: below the directio threshold, left to sendfile\n", name);
		close(of->fd);
		return FILE_ERROR;
	}
	if (directio_on(of->fd) == FILE_ERROR) {
		fprintf(stderr, "fcntl(O_DIRECT) \"%s\" failed\n", name);
		close(of->fd);
		return FILE_ERROR;
	}
	of->directio = 1;
	return 0;
}

static int looks_like_mp4(const unsigned char *p)
{
	return memcmp(p + 4, "ftyp", 4) == 0;
}

int main(int argc, char **argv)
{
	open_file_info of;
	unsigned char *buf;
	off_t offset = 0;
	off_t aligned_end;
	size_t tail;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	if (open_cached_file(argv[1], &of) != 0)
		return 1;

	if (posix_memalign((void **)&buf, core_conf.directio_alignment, core_conf.output_buffer) != 0)
		return 1;

	if (read_file(&of, buf, core_conf.directio_alignment, 0) < 8) // zdio-expect: ZDIO001, ZDIO002
		return 1;
	if (looks_like_mp4(buf))
		fprintf(stderr, "%s: mp4\n", argv[1]);

	aligned_end = of.size - of.size % (off_t)core_conf.output_buffer;
	while (offset < aligned_end) {
		ssize_t n = read_file(&of, buf, core_conf.output_buffer, offset); // zdio-expect: ZDIO001, zdio-expect-none: ZDIO002, ZDIO003
		if (n <= 0)
			return 1;
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return 1;
		offset += n;
	}

	tail = (size_t)(of.size - aligned_end);
	if (tail > 0) {
		if (directio_off(of.fd) == FILE_ERROR)
			return 1;
		of.directio = 0;
		if (pread(of.fd, buf, tail, aligned_end) != (ssize_t)tail) // zdio-expect-none: o_direct_io, ZDIO001, ZDIO002
			return 1;
		fwrite(buf, 1, tail, stdout);
	}
	free(buf);
	close(of.fd);
	return 0;
}

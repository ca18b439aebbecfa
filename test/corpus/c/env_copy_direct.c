// Pattern: a memory-mapped key/value store's hot backup that creates the copy with O_EXCL and switches it to O_DIRECT with fcntl(F_SETFL) when the database page size is at least the OS page size, then writes the two meta pages and the used data pages straight from the page-aligned map in capped chunks, or, in compacting mode, streams 1 MiB page-aligned write buffers (modelled on LMDB's libraries/liblmdb/mdb.c, mdb_env_copy2(), mdb_fopen() with MDB_O_COPY, mdb_env_copyfd0(), MAX_WRITE and the MDB_WBUF buffers of mdb_env_copythr()).
// zdio-category: cross-function
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define DB_PAGE_SIZE 4096
#define NUM_METAS 2
#define MAX_WRITE 0x40000000U
#define WBUF_SIZE (1024 * 1024)

struct kv_env {
	int fd;
	int lock_fd;
	unsigned psize;
	long os_psize;
	char *map;
	size_t next_pgno;
};

struct lock_header {
	uint32_t magic;
	uint32_t format;
	uint64_t txnid;
	char pad[48];
};

static int copy_create(struct kv_env *env, const char *path, int *fdp)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

	if (fd < 0)
		return errno;
	if ((long)env->psize >= env->os_psize) {
		/* the copy bypasses the page cache when its writes can stay page-aligned */
		int fl = fcntl(fd, F_GETFL);
		if (fl != -1)
			(void)fcntl(fd, F_SETFL, fl | O_DIRECT); // zdio-expect-site: o_direct_open
	}
	*fdp = fd;
	return 0;
}

static int copy_plain(struct kv_env *env, int fd)
{
	size_t wsize = (size_t)env->psize * NUM_METAS;
	char *ptr = env->map;
	ssize_t len;

	len = write(fd, ptr, (size_t)env->psize * NUM_METAS); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002
	if (len != (ssize_t)wsize)
		return len < 0 ? errno : EIO;

	ptr += wsize;
	wsize = env->next_pgno * env->psize - wsize;
	while (wsize > 0) {
		size_t w2 = wsize > MAX_WRITE ? MAX_WRITE : wsize;

		len = write(fd, ptr, w2); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		if (len <= 0)
			return len < 0 ? errno : EIO;
		ptr += len;
		wsize -= (size_t)len;
	}
	return 0;
}

static int copy_compact(struct kv_env *env, int fd)
{
	char *wbuf;
	size_t total = env->next_pgno * env->psize;
	size_t done = 0;

	if (posix_memalign((void **)&wbuf, DB_PAGE_SIZE, WBUF_SIZE) != 0)
		return ENOMEM;
	while (total - done >= WBUF_SIZE) {
		memcpy(wbuf, env->map + done, WBUF_SIZE);
		if (write(fd, wbuf, WBUF_SIZE) != WBUF_SIZE) { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
			free(wbuf);
			return errno ? errno : EIO;
		}
		done += WBUF_SIZE;
	}
	if (total > done) {
		size_t rest = total - done;

		memcpy(wbuf, env->map + done, rest);
		if (write(fd, wbuf, rest) != (ssize_t)rest) { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002
			free(wbuf);
			return errno ? errno : EIO;
		}
	}
	free(wbuf);
	return 0;
}

static int stamp_lock_file(struct kv_env *env, uint64_t txnid)
{
	struct lock_header hdr = { 0xBEEFC0DE, 2, txnid, { 0 } };

	return pwrite(env->lock_fd, &hdr, sizeof(hdr), 0) == (ssize_t)sizeof(hdr) ? 0 : errno; // zdio-expect-none: o_direct_io, ZDIO001, ZDIO002
}

int main(int argc, char **argv)
{
	struct kv_env env;
	struct stat st;
	int compact, fd, rc;

	if (argc < 3) {
		fprintf(stderr, "usage: %s DATAFILE COPY [-c]\n", argv[0]);
		return 2;
	}
	compact = argc > 3 && strcmp(argv[3], "-c") == 0;
	memset(&env, 0, sizeof(env));
	env.psize = DB_PAGE_SIZE;
	env.os_psize = sysconf(_SC_PAGESIZE);
	env.fd = open(argv[1], O_RDONLY);
	env.lock_fd = open("data.lock", O_RDWR | O_CREAT, 0644);
	if (env.fd < 0 || env.lock_fd < 0 || fstat(env.fd, &st) != 0)
		return 1;
	env.map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, env.fd, 0);
	if (env.map == MAP_FAILED)
		return 1;
	env.next_pgno = (size_t)st.st_size / env.psize;

	rc = copy_create(&env, argv[2], &fd);
	if (rc == 0) {
		rc = compact ? copy_compact(&env, fd) : copy_plain(&env, fd);
		if (close(fd) < 0 && rc == 0)
			rc = errno;
	}
	if (rc == 0)
		rc = stamp_lock_file(&env, 1);
	if (rc != 0)
		fprintf(stderr, "copy failed: %s\n", strerror(rc));
	return rc == 0 ? 0 : 1;
}

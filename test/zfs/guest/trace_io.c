// Traced by `zfs-dio trace` inside the test VM (test/zfs/guest/suite.sh), on tank/always and
// tank/standard. It makes the calls of the probe's matrix (same ids, same lengths and offsets, see
// the probe's runner) from C, each on a line of its own, and writes what each call returned to a
// JSON record, so that the host can hold the trace against the program itself, against the probe's
// report for the same dataset, and against the `expect:` comment on the line.
//
//   trace_io prepare DIR        writes the source and data files (untraced; the suite syncs the pool
//                               after it, so that the copies' source blocks can be cloned)
//   trace_io run DIR RECORD     makes the calls and writes RECORD
//
// An `expect:` comment names the probe's experiment id, then the rule ids the trace must report on
// that line (none: the call must be recorded on the line, with no finding). Built with gcc -g -O0.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RS 131072L

static FILE *record;
static int first = 1;

// One entry of the record: the case, the call, what it returned and the errno name (null on success).
static void note(const char *id, const char *call, ssize_t result, int err)
{
    const char *name = NULL;
    if (result < 0) {
        name = err == EINVAL ? "EINVAL" : err == EAGAIN ? "EAGAIN" : err == EFAULT ? "EFAULT"
            : err == EXDEV ? "EXDEV" : err == EOPNOTSUPP ? "EOPNOTSUPP" : err == EIO ? "EIO" : "other";
    }
    fprintf(record, "%s\n  {\"id\": \"%s\", \"call\": \"%s\", \"result\": %zd, \"errno\": %s%s%s}",
            first ? "" : ",", id, call, result, name ? "\"" : "", name ? name : "null", name ? "\"" : "");
    first = 0;
}

static int open_in(const char *dir, const char *name, int flags)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, flags, 0644);
    if (fd < 0) { perror(path); exit(2); }
    return fd;
}

static void fill(const char *dir, const char *name, long size)
{
    char *data = malloc(size);
    for (long i = 0; i < size; i++) data[i] = (char)(i * 7 + 3);
    int fd = open_in(dir, name, O_CREAT | O_WRONLY | O_TRUNC);
    if (write(fd, data, size) != size) { perror("write"); exit(2); }
    close(fd);
    free(data);
}

static int prepare(const char *dir)
{
    mkdir(dir, 0755);
    fill(dir, "cfr-src", 4 * RS);
    fill(dir, "dio-read", 3 * RS);
    fill(dir, "dio-write", 6 * RS);
    return 0;
}

// A fresh destination for each copy, as the probe makes.
static int destination(const char *dir, const char *name, int direct)
{
    return open_in(dir, name, O_CREAT | O_RDWR | O_TRUNC | (direct ? O_DIRECT : 0));
}

static void copies(const char *dir, long page)
{
    int src = open_in(dir, "cfr-src", O_RDONLY);
    int dsrc = open_in(dir, "cfr-src", O_RDONLY | O_DIRECT);
    loff_t in, out;
    ssize_t r;
    int dst;

    dst = destination(dir, "cfr-aligned", 0); in = RS; out = 0;
    r = copy_file_range(src, &in, dst, &out, 2 * RS, 0); /* expect: cfr.aligned */
    note("cfr.aligned", "copy_file_range", r, errno); close(dst);

    dst = destination(dir, "cfr-page", 0); in = page; out = 2 * page;
    r = copy_file_range(src, &in, dst, &out, 16 * page, 0); /* expect: cfr.page ZDIO010 */
    note("cfr.page", "copy_file_range", r, errno); close(dst);

    dst = destination(dir, "cfr-misaligned", 0); in = 1000; out = 0;
    r = copy_file_range(src, &in, dst, &out, RS + 1, 0); /* expect: cfr.misaligned ZDIO010 */
    note("cfr.misaligned", "copy_file_range", r, errno); close(dst);

    dst = destination(dir, "cfr-odirect-aligned", 1); in = 0; out = 0;
    r = copy_file_range(dsrc, &in, dst, &out, 2 * RS, 0); /* expect: cfr.odirect.aligned ZDIO011 */
    note("cfr.odirect.aligned", "copy_file_range", r, errno); close(dst);

    dst = destination(dir, "cfr-odirect-page", 1); in = page; out = 2 * page;
    r = copy_file_range(dsrc, &in, dst, &out, 16 * page, 0); /* expect: cfr.odirect.page ZDIO010 ZDIO011 */
    note("cfr.odirect.page", "copy_file_range", r, errno); close(dst);

    dst = destination(dir, "cfr-odirect-misaligned", 1); in = 1000; out = 0;
    r = copy_file_range(dsrc, &in, dst, &out, RS + 1, 0); /* expect: cfr.odirect.misaligned ZDIO010 ZDIO011 */
    note("cfr.odirect.misaligned", "copy_file_range", r, errno); close(dst);

    close(src);
    close(dsrc);
}

static void reads(const char *dir, char *buf, long page)
{
    int fd = open_in(dir, "dio-read", O_RDONLY | O_DIRECT);
    ssize_t r;
    r = pread(fd, buf, RS, RS); /* expect: dio.read.aligned */
    note("dio.read.aligned", "pread64", r, errno);
    r = pread(fd, buf + 1, RS, RS); /* expect: dio.read.buf ZDIO001 */
    note("dio.read.buf", "pread64", r, errno);
    r = pread(fd, buf, page + 1, 0); /* expect: dio.read.len ZDIO002 */
    note("dio.read.len", "pread64", r, errno);
    r = pread(fd, buf, RS, RS + 512); /* expect: dio.read.off ZDIO003 */
    note("dio.read.off", "pread64", r, errno);
    close(fd);
}

static void writes(const char *dir, char *buf, long page)
{
    int fd = open_in(dir, "dio-write", O_RDWR | O_DIRECT);
    ssize_t r;
    r = pwrite(fd, buf, RS, 1 * RS); /* expect: dio.write.aligned */
    note("dio.write.aligned", "pwrite64", r, errno);
    r = pwrite(fd, buf + 1, RS, 2 * RS); /* expect: dio.write.buf ZDIO001 */
    note("dio.write.buf", "pwrite64", r, errno);
    r = pwrite(fd, buf, page + 1, 3 * RS); /* expect: dio.write.len ZDIO002 */
    note("dio.write.len", "pwrite64", r, errno);
    r = pwrite(fd, buf, RS, 4 * RS + 512); /* expect: dio.write.off ZDIO003 */
    note("dio.write.off", "pwrite64", r, errno);
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "prepare") == 0) return prepare(argv[2]);
    if (argc != 4 || strcmp(argv[1], "run") != 0) {
        fprintf(stderr, "usage: %s prepare DIR | run DIR RECORD\n", argv[0]);
        return 2;
    }
    const char *dir = argv[2];
    long page = sysconf(_SC_PAGESIZE);
    char *buf;
    if (posix_memalign((void **)&buf, page, 2 * RS) != 0) return 2;
    memset(buf, 'z', 2 * RS);
    record = fopen(argv[3], "w");
    if (!record) { perror(argv[3]); return 2; }
    fprintf(record, "{\"program\": \"trace_io.c\", \"pageSize\": %ld, \"recordsize\": %ld, \"calls\": [", page, RS);
    copies(dir, page);
    reads(dir, buf, page);
    writes(dir, buf, page);
    fprintf(record, "\n]}\n");
    fclose(record);
    return 0;
}

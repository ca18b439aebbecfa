/*
 * snapcopy: copies VM disk images between directories of the same pool,
 * preferring block cloning (FICLONE / copy_file_range) over a byte copy.
 *
 * Build: cc -O2 -Wall -o snapcopy snapcopy.c
 * Usage: snapcopy SRC DST [mode]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECORD_BYTES   (128 * 1024)
#define HEADER_BYTES   (64 * 1024)
#define TAIL_OFFSET    (256 * 1024)
#define TAIL_BYTES     (192 * 1024)
#define COPY_CHUNK     (1 << 20)

/* The portable fallback when nothing can be cloned. */
static int copy_bytes(int in, int out, off_t len)
{
    static char buf[65536];
    while (len > 0) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n <= 0)
            return n == 0 ? 0 : -1;
        if (write(out, buf, (size_t)n) != n)
            return -1;
        len -= n;
    }
    return 0;
}

/*
 * Clones the whole file with copy_file_range, in record-sized chunks, and falls back
 * to a byte copy when the kernel or the file system cannot do it.
 */
static int clone_whole(int in, int out, off_t size)
{
    off_t done = 0;
    while (done < size) {
        ssize_t n = copy_file_range(in, NULL, out, NULL, COPY_CHUNK, 0);
        if (n < 0) {
            if (errno == EXDEV || errno == EINVAL || errno == EOPNOTSUPP ||
                errno == ENOSYS || errno == EAGAIN)
                return copy_bytes(in, out, size - done);
            return -1;
        }
        if (n == 0)
            break;
        done += n;
    }
    return 0;
}

/*
 * Moves the image tail to the start of the next record group. The offsets are
 * record-aligned, but the length is one and a half records, so no block clone
 * happens and the kernel silently copies the data instead (this is the
 * openzfs#16958 reproducer shape).
 */
static int relocate_tail(int in, int out)
{
    loff_t src_off = 0;
    loff_t dst_off = TAIL_OFFSET;
    ssize_t n = copy_file_range(in, &src_off, out, &dst_off, TAIL_BYTES, 0);
    if (n < 0) {
        perror("copy_file_range");
        return -1;
    }
    return n == TAIL_BYTES ? 0 : -1;
}

/* Copies the first record (the image header lives there); nobody looks at the result. */
static void copy_header(int in, int out)
{
    loff_t src_off = 0;
    loff_t dst_off = 0;
    copy_file_range(in, &src_off, out, &dst_off, RECORD_BYTES, 0);
}

/* Shares the first header-sized extent of SRC with DST. */
static int share_header(int in, int out)
{
    struct file_clone_range range = {
        .src_fd = in,
        .src_offset = 0,
        .src_length = HEADER_BYTES,
        .dest_offset = 0,
    };
    return ioctl(out, FICLONERANGE, &range);
}

/* Writes a copy that bypasses the cache on the destination. */
static int copy_uncached(const char *src, const char *dst)
{
    int in = open(src, O_RDONLY);
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644);
    if (in < 0 || out < 0)
        return -1;
    loff_t src_off = 0;
    loff_t dst_off = 0;
    ssize_t n = copy_file_range(in, &src_off, out, &dst_off, RECORD_BYTES, 0);
    if (n < 0) {
        perror("copy_file_range");
        return -1;
    }
    close(in);
    close(out);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s SRC DST [whole|tail|header|share|uncached]\n", argv[0]);
        return 2;
    }
    const char *mode = argc > 3 ? argv[3] : "whole";
    if (strcmp(mode, "uncached") == 0)
        return copy_uncached(argv[1], argv[2]) == 0 ? 0 : 1;

    int in = open(argv[1], O_RDONLY);
    int out = open(argv[2], O_WRONLY | O_CREAT, 0644);
    if (in < 0 || out < 0) {
        perror("open");
        return 1;
    }
    struct stat st;
    if (fstat(in, &st) < 0) {
        perror("fstat");
        return 1;
    }

    int rc = 0;
    if (strcmp(mode, "whole") == 0) {
        /* A whole-file clone has no range to misalign: try it first. */
        if (ioctl(out, FICLONE, in) < 0)
            rc = clone_whole(in, out, st.st_size);
    } else if (strcmp(mode, "tail") == 0) {
        rc = relocate_tail(in, out);
    } else if (strcmp(mode, "header") == 0) {
        copy_header(in, out);
    } else if (strcmp(mode, "share") == 0) {
        rc = share_header(in, out);
    }
    close(in);
    close(out);
    return rc == 0 ? 0 : 1;
}

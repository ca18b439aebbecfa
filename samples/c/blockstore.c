/*
 * blkstore: a small append-only block store.
 *
 * The data file is opened with O_DIRECT so that bulk writes skip the page cache
 * (and, on OpenZFS 2.3+ with direct=standard, the ARC). Layout on disk:
 *
 *   [0, 4 KiB)          superblock (magic, version, block count)
 *   [4 KiB, 128 KiB)    index, one 64-bit offset per block
 *   [128 KiB, ...)      data blocks, BLOCK_SIZE bytes each
 *
 * Build: cc -O2 -Wall -o blkstore blockstore.c
 * Usage: blkstore FILE format | FILE put < data | FILE get N > out
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STORE_MAGIC       0x424c4b53u          /* "BLKS" */
#define PAGE_BYTES        4096
#define BLOCK_SIZE        (128 * 1024)         /* one record at the default recordsize */
#define DATA_START        BLOCK_SIZE
#define SUPERBLOCK_BYTES  512                  /* a sector: enough for the header fields */
#define INDEX_OFFSET      SUPERBLOCK_BYTES     /* the index starts right after the header */
#define INDEX_BYTES       (16 * 1024)
#define BATCH_BYTES       (3 * 64 * 1024)      /* three 64 KiB extents per batch */

struct superblock {
    uint32_t magic;
    uint32_t version;
    uint64_t block_count;
};

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* Writes an empty store: superblock, then an empty index. */
static void store_format(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0644);
    if (fd < 0)
        die("open");

    void *header;
    if (posix_memalign(&header, PAGE_BYTES, PAGE_BYTES) != 0)
        die("posix_memalign");
    memset(header, 0, PAGE_BYTES);
    struct superblock sb = { .magic = STORE_MAGIC, .version = 1, .block_count = 0 };
    memcpy(header, &sb, sizeof sb);

    /* Only the used part of the header page is written. */
    if (pwrite(fd, header, SUPERBLOCK_BYTES, 0) < 0)
        die("pwrite superblock");

    void *index;
    if (posix_memalign(&index, PAGE_BYTES, INDEX_BYTES) != 0)
        die("posix_memalign");
    memset(index, 0, INDEX_BYTES);
    if (pwrite(fd, index, INDEX_BYTES, INDEX_OFFSET) < 0)
        die("pwrite index");

    free(index);
    free(header);
    close(fd);
}

/* Appends one batch read from stdin. Fine for O_DIRECT, but not record-sized. */
static void store_put_batch(const char *path)
{
    int fd = open(path, O_WRONLY | O_DIRECT);
    if (fd < 0)
        die("open");

    char *batch;
    if (posix_memalign((void **)&batch, PAGE_BYTES, BATCH_BYTES) != 0)
        die("posix_memalign");
    size_t got = fread(batch, 1, BATCH_BYTES, stdin);
    memset(batch + got, 0, BATCH_BYTES - got);

    if (pwrite(fd, batch, BATCH_BYTES, DATA_START) < 0)
        die("pwrite batch");
    free(batch);
    close(fd);
}

/* Reads block N to stdout. */
static void store_get(const char *path, long n)
{
    int fd = open(path, O_RDONLY | O_DIRECT);
    if (fd < 0)
        die("open");

    char *block = malloc(BLOCK_SIZE);
    if (block == NULL)
        die("malloc");
    ssize_t got = pread(fd, block, BLOCK_SIZE, DATA_START + (off_t)n * BLOCK_SIZE);
    if (got < 0)
        die("pread");
    fwrite(block, 1, (size_t)got, stdout);
    free(block);
    close(fd);
}

/* Rewrites the first data block in place: aligned buffer, whole record, record boundary. */
static void store_rewrite_first(const char *path, const char *fill)
{
    int fd = open(path, O_WRONLY | O_DIRECT);
    if (fd < 0)
        die("open");

    void *record = aligned_alloc(PAGE_BYTES, BLOCK_SIZE);
    if (record == NULL)
        die("aligned_alloc");
    memset(record, fill[0], BLOCK_SIZE);
    if (pwrite(fd, record, BLOCK_SIZE, DATA_START) != BLOCK_SIZE)
        die("pwrite block");
    free(record);
    close(fd);
}

/* Dumps the raw superblock sector; the caller knows it may get EINVAL. */
static void store_dump_header(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECT);
    if (fd < 0)
        die("open");
    void *page;
    if (posix_memalign(&page, PAGE_BYTES, PAGE_BYTES) != 0)
        die("posix_memalign");
    /* zfs-dio-ignore ZDIO002 (legacy 512-byte header read, guarded by the EINVAL fallback below) */
    ssize_t got = pread(fd, page, SUPERBLOCK_BYTES, 0);
    if (got < 0 && errno == EINVAL)
        got = pread(fd, page, PAGE_BYTES, 0);
    if (got > 0)
        fwrite(page, 1, (size_t)got, stdout);
    free(page);
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s FILE format|put|get N|rewrite C|header\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[2], "format") == 0)
        store_format(argv[1]);
    else if (strcmp(argv[2], "put") == 0)
        store_put_batch(argv[1]);
    else if (strcmp(argv[2], "get") == 0 && argc > 3)
        store_get(argv[1], strtol(argv[3], NULL, 10));
    else if (strcmp(argv[2], "rewrite") == 0 && argc > 3)
        store_rewrite_first(argv[1], argv[3]);
    else if (strcmp(argv[2], "header") == 0)
        store_dump_header(argv[1]);
    else {
        fprintf(stderr, "unknown command %s\n", argv[2]);
        return 2;
    }
    return 0;
}

// Vectored O_DIRECT calls with a misaligned segment buffer. strace prints the segments' addresses
// only for a vectored read that failed, so the reads are findings with the real address; the write's
// buffers are printed as data, and its finding says so. Built with gcc -g -O0.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "vectored io.dat";
    int fd = open(name, O_CREAT | O_RDWR | O_TRUNC | O_DIRECT, 0644);
    if (fd < 0) { perror("open"); return 2; }
    char *pages;
    if (posix_memalign((void **)&pages, 4096, 4 * 4096) != 0) return 2;
    if (pwrite(fd, pages, 2 * 4096, 0) < 0) perror("aligned pwrite");
    struct iovec one = { pages + 8, 4096 };
    if (preadv(fd, &one, 1, 0) < 0) perror("preadv, buffer 8 bytes in"); /* expect: ZDIO001 */
    struct iovec two[2] = { { pages, 4096 }, { pages + 4096 + 16, 4096 } };
    if (readv(fd, two, 2) < 0) perror("readv, second buffer 16 bytes in"); /* expect: ZDIO001 */
    struct iovec out = { pages + 100, 4096 };
    if (pwritev(fd, &out, 1, 4096) < 0) perror("pwritev, buffer 100 bytes in"); /* expect: ZDIO001 */
    struct iovec aligned = { pages, 4096 };
    if (preadv(fd, &aligned, 1, 0) < 0) perror("aligned preadv");
    close(fd);
    free(pages);
    return 0;
}

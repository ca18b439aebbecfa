// A helper does the I/O; the caller decides the values. The findings belong on the helper's pwrite,
// with the caller in the frames. Built with gcc -g -O0.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static ssize_t put_block(int fd, const void *buf, size_t len, off_t at)
{
    return pwrite(fd, buf, len, at); /* expect: ZDIO002 ZDIO001 */
}

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "direct helpers.dat";
    int fd = open(name, O_CREAT | O_RDWR | O_TRUNC | O_DIRECT, 0644);
    if (fd < 0) { perror("open"); return 2; }
    char *page;
    if (posix_memalign((void **)&page, 4096, 3 * 4096) != 0) return 2;
    if (put_block(fd, page, 4096, 0) < 0) perror("aligned pwrite");
    if (put_block(fd, page, 1000, 4096) < 0) perror("short pwrite");
    if (put_block(fd, page + 8, 4096, 8192) < 0) perror("misaligned buffer");
    if (lseek(fd, 100, SEEK_SET) < 0) return 2;
    if (write(fd, page, 4096) < 0) perror("write at 100"); /* expect: ZDIO003 */
    close(fd);
    // The descriptor number comes back for a file without O_DIRECT: its writes are not checked.
    int plain = open("plain.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (write(plain, page + 3, 100) < 0) perror("plain write");
    close(plain);
    return 0;
}

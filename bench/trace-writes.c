// The trace's cost: a program that makes many small writes (the argument says how many), one in a
// hundred on an O_DIRECT descriptor so that the trace has findings to report. Built with gcc -g -O2.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    int plain = open("trace-writes.dat", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    int direct = open("trace-writes-direct.dat", O_CREAT | O_RDWR | O_TRUNC | O_DIRECT, 0644);
    char *page;
    if (plain < 0 || direct < 0 || posix_memalign((void **)&page, 4096, 4096) != 0) return 2;
    for (long i = 0; i < n; i++) {
        if (i % 100 == 0) (void)pwrite(direct, page, 512, 0);
        else if (write(plain, page, 64) != 64) return 3;
    }
    return 0;
}

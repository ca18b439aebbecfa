// Forks many children; each writes a misaligned O_DIRECT record through a descriptor it inherited.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 40

int main(int argc, char **argv)
{
    int fd = open(argc > 1 ? argv[1] : "many children.dat", O_CREAT | O_RDWR | O_TRUNC | O_DIRECT, 0644);
    if (fd < 0) return 2;
    char *page;
    if (posix_memalign((void **)&page, 4096, 4096) != 0) return 2;
    for (int i = 0; i < CHILDREN; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            (void)pwrite(fd, page, 2048, (off_t)i * 4096); /* expect: ZDIO002 */
            _exit(0);
        }
    }
    while (wait(NULL) > 0) {}
    return 0;
}

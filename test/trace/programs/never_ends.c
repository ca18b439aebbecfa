// Never ends on its own, and leaves a child behind that never ends either: cancel must end both.
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    pid_t child = fork();
    if (child == 0) { for (;;) pause(); }
    if (argc > 1) { FILE *f = fopen(argv[1], "w"); if (f) { fprintf(f, "%d %d\n", getpid(), child); fclose(f); } }
    for (;;) sleep(1);
}

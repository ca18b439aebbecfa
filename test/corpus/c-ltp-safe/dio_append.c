// Pattern: the test passes O_DIRECT and the write size to a header helper, and checks that buffered readers only see zeros (modelled on LTP's testcases/kernel/io/ltp-aiodio/dio_append.c).
// zdio-category: header-macro
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/wait.h>
#include "config.h"
#include "common.h"

int main(int argc, char **argv)
{
	const char *filename = "dio_append";
	int children = argc > 1 ? atoi(argv[1]) : 4;
	int i, status, failed = 0;

	for (i = 0; i < children; i++) {
		if (fork() == 0)
			_exit(io_read_eof(filename) ? 0 : 1);
	}
	io_append(filename, 0, O_DIRECT | O_WRONLY | O_CREAT | O_TRUNC, DIO_CHUNK_BYTES, DIO_NUM_CHUNKS);
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = 1;
	printf("%s\n", failed ? "FAIL: non-zero bytes read" : "PASS");
	return failed;
}

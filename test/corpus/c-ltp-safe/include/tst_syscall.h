/* Pattern: a statement-expression macro that issues a raw syscall and turns ENOSYS into a skip (modelled on LTP's tst_syscall() macro, generated into include/lapi/syscalls.h by generate_syscalls.sh). */
/* zdio-category: header-macro */
#ifndef TST_SYSCALL_H
#define TST_SYSCALL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Evaluates to the raw result; a kernel without the call makes the test report "skipped". */
#define tst_syscall(NR, ...) ({ \
	long raw_result_ = syscall(NR, ##__VA_ARGS__); \
	if (raw_result_ == -1 && errno == ENOSYS) { \
		fprintf(stderr, "skipped: the kernel has no " #NR "\n"); \
		exit(32); \
	} \
	raw_result_; \
})

#endif /* TST_SYSCALL_H */

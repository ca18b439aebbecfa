/* Pattern: a suite header with the test content and a wrapper choosing the libc call or tst_syscall() (modelled on LTP's testcases/kernel/syscalls/copy_file_range/copy_file_range.h). */
/* zdio-category: header-macro */
#ifndef COPY_FILE_RANGE_H
#define COPY_FILE_RANGE_H

#include <sys/types.h>
#include "tst_syscall.h"

#define CONTENT "one line of corpus test content\n"
#define CONTSIZE (sizeof(CONTENT) - 1)
#define FILE_SRC_PATH "file_src"
#define FILE_DEST_PATH "file_dest"

#endif

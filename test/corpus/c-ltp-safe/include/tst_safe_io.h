/* Pattern: SAFE_* macros that wrap open/read/write/lseek/memalign with the caller's file and line for error reports (modelled on LTP's include/tst_safe_macros.h). */
/* zdio-category: header-macro */
#ifndef TST_SAFE_IO_H
#define TST_SAFE_IO_H

#include <fcntl.h>
#include <stddef.h>
#include <sys/types.h>
#include <unistd.h>

enum safe_write_iter { SAFE_WRITE_ANY = 0, SAFE_WRITE_ALL = 1 };

/* Each checked_* call reports the caller's file and line and ends the test when the call fails. */
int checked_open(const char *src_file, int src_line, const char *path, int flags, ...);
ssize_t checked_read(const char *src_file, int src_line, char exact, int fd, void *buf, size_t len);
ssize_t checked_write(const char *src_file, int src_line, enum safe_write_iter mode, int fd, const void *buf, size_t len);
off_t checked_lseek(const char *src_file, int src_line, int fd, off_t off, int whence);
void *checked_memalign(const char *src_file, int src_line, size_t align, size_t size);
int checked_close(const char *src_file, int src_line, int fd);

#define SAFE_OPEN(path, flags, ...) checked_open(__FILE__, __LINE__, (path), (flags), ##__VA_ARGS__)
#define SAFE_READ(exact, fd, buf, len) checked_read(__FILE__, __LINE__, (exact), (fd), (buf), (len))
#define SAFE_WRITE(mode, fd, buf, len) checked_write(__FILE__, __LINE__, (mode), (fd), (buf), (len))
#define SAFE_LSEEK(fd, off, whence) checked_lseek(__FILE__, __LINE__, (fd), (off), (whence))
#define SAFE_MEMALIGN(align, size) checked_memalign(__FILE__, __LINE__, (align), (size))
#define SAFE_CLOSE(fd) do { checked_close(__FILE__, __LINE__, (fd)); (fd) = -1; } while (0)

#endif /* TST_SAFE_IO_H */

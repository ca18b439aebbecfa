// Pattern: O_DIRECT switched on after open by a helper that calls fcntl(F_SETFL) on its parameter, for data files only, then page reads and writes through pread/pwrite wrappers, with a buffer aligned by hand (modelled on MySQL InnoDB's os/os0file.cc, os_file_set_nocache(), os_file_create() and ut_align()).
// zdio-category: cross-function
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using byte = unsigned char;
using ulint = unsigned long;

constexpr ulint UNIV_PAGE_SIZE = 16384;
enum { SRV_UNIX_FSYNC = 1, SRV_UNIX_O_DSYNC, SRV_UNIX_O_DIRECT, SRV_UNIX_O_DIRECT_NO_FSYNC };
enum { OS_DATA_FILE = 100, OS_LOG_FILE = 101 };

static ulint srv_unix_file_flush_method = SRV_UNIX_O_DIRECT;

static void os_file_set_nocache(int fd, const char *file_name, const char *operation_name) {
  if (fcntl(fd, F_SETFL, O_DIRECT) == -1) { // zdio-expect-site: o_direct_open
    int err = errno;
    // Not fatal: the file still works, only through the page cache.
    std::fprintf(stderr, "%s (%s): no direct I/O, using the page cache: %s\n", file_name, operation_name, std::strerror(err));
  }
}

static int os_file_create(const char *name, ulint type, bool *success) {
  int file = ::open(name, O_RDWR | O_CREAT, S_IRUSR | S_IWUSR | S_IRGRP | S_IWGRP);
  *success = file != -1;
  // Only data files bypass the cache; logs keep it.
  if (*success && type == OS_DATA_FILE &&
      (srv_unix_file_flush_method == SRV_UNIX_O_DIRECT || srv_unix_file_flush_method == SRV_UNIX_O_DIRECT_NO_FSYNC)) {
    os_file_set_nocache(file, name, "create");
  }
  return file;
}

static bool os_file_pread(int file, void *buf, ulint n, off_t offset) {
  ssize_t ret = ::pread(file, buf, n, offset); // zdio-expect-site: o_direct_io
  return ret == static_cast<ssize_t>(n);
}

static bool os_file_pwrite(int file, const void *buf, ulint n, off_t offset) {
  ssize_t ret = ::pwrite(file, buf, n, offset); // zdio-expect-site: o_direct_io
  return ret == static_cast<ssize_t>(n);
}

// Rounds an address up to the next multiple of a power of two.
static void *ut_align(void *ptr, ulint align_no) {
  uintptr_t mask = static_cast<uintptr_t>(align_no) - 1;
  return reinterpret_cast<void *>((reinterpret_cast<uintptr_t>(ptr) + mask) & ~mask);
}

int main() {
  bool ok;
  int fd = os_file_create("ibdata1", OS_DATA_FILE, &ok);
  if (!ok) return 1;

  byte *unaligned = static_cast<byte *>(std::malloc(2 * UNIV_PAGE_SIZE));
  byte *page = static_cast<byte *>(ut_align(unaligned, UNIV_PAGE_SIZE));
  if (!os_file_pread(fd, page, UNIV_PAGE_SIZE, 0)) // zdio-expect-none: ZDIO001
    std::fprintf(stderr, "page 0 read failed\n");

  byte *frame = static_cast<byte *>(std::malloc(UNIV_PAGE_SIZE));
  if (!os_file_pread(fd, frame, UNIV_PAGE_SIZE, UNIV_PAGE_SIZE)) // zdio-expect: ZDIO001
    std::fprintf(stderr, "page 1 read failed\n");

  std::memset(page, 0, UNIV_PAGE_SIZE);
  if (!os_file_pwrite(fd, page, 512, 0)) // zdio-expect: ZDIO002
    std::fprintf(stderr, "doublewrite header write failed\n");

  std::free(frame);
  std::free(unaligned);
  ::close(fd);
  return 0;
}

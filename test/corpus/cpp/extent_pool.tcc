// Pattern: a class template's member definitions in a .tcc file, formatting a superblock through an O_DIRECT descriptor with a page-multiple size that is not a whole record (modelled on PostgreSQL's block-sized zero-fill writes in pg_pwrite_zeros(), written in the libstdc++ .tcc convention).
// zdio-category: file-name
#ifndef EXTENT_POOL_TCC
#define EXTENT_POOL_TCC

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <new>
#include <system_error>
#include <unistd.h>

template <std::size_t ExtentBytes>
extent_pool<ExtentBytes>::extent_pool(const char *path) {
  fd_ = ::open(path, O_RDWR | O_CREAT | O_DIRECT, 0600); // zdio-expect-site: o_direct_open
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), path);
  void *p = nullptr;
  if (::posix_memalign(&p, 4096, ExtentBytes) != 0) throw std::bad_alloc();
  zero_ = static_cast<char *>(p);
}

template <std::size_t ExtentBytes>
int extent_pool<ExtentBytes>::format_superblock() {
  ssize_t n = ::pwrite(fd_, zero_, 8192, 0); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
  return n == 8192 ? 0 : -1;
}

#endif

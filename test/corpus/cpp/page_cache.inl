// Pattern: inline member functions in an .inl file; the cache reads pages through an O_DIRECT descriptor into a malloc'd frame (modelled on InnoDB's page reads through os_file_pread() in os/os0file.cc, as inline definitions in an .inl file).
// zdio-category: file-name
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

inline bool PageCache::Open(const char *path) {
  fd_ = ::open(path, O_RDONLY | O_DIRECT); // zdio-expect-site: o_direct_open
  return fd_ >= 0;
}

inline void *PageCache::Load(unsigned long page_no) {
  void *frame = std::malloc(kPageBytes);
  if (!frame) return nullptr;
  if (::pread(fd_, frame, kPageBytes, static_cast<off_t>(page_no * kPageBytes)) < 0) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
    std::free(frame);
    return nullptr;
  }
  return frame;
}

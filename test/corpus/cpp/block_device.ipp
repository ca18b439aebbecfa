// Pattern: the out-of-line implementation of a block-device class in a .ipp file, included by its header; it reads the first sector with a sector-aligned buffer (modelled on qemu's block/file-posix.c alignment probing, written in the .ipp implementation-file convention).
// zdio-category: file-name
#ifndef BLOCK_DEVICE_IPP
#define BLOCK_DEVICE_IPP

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <memory>
#include <system_error>
#include <unistd.h>

namespace blk {

inline block_device::block_device(const char *path) {
  fd_ = ::open(path, O_RDWR | O_DIRECT | O_EXCL); // zdio-expect-site: o_direct_open
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), path);
}

inline int block_device::read_partition_table(unsigned char *out) {
  void *sector = nullptr;
  if (::posix_memalign(&sector, 512, 512) != 0) return -ENOMEM;
  std::unique_ptr<void, decltype(&std::free)> guard(sector, &std::free);
  ssize_t n = ::pread(fd_, sector, 512, 0); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
  if (n != 512) return n < 0 ? -errno : -EIO;
  __builtin_memcpy(out, sector, 512);
  return 0;
}

}  // namespace blk

#endif

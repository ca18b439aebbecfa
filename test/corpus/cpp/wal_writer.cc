// Pattern: a log preallocator that opens with O_DIRECT and writes a std::string header, a std::vector block and an aligned block in one function (modelled on PostgreSQL's zero-filled WAL segment preallocation, pg_pwrite_zeros() in src/common/file_utils.c, written in C++).
// zdio-category: within-function
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace wal {

constexpr std::size_t kBlockSize = 32 * 1024;
constexpr std::size_t kRecord = 128 * 1024;

struct AlignedDeleter {
  void operator()(char *p) const { ::operator delete[](p, std::align_val_t(4096)); }
};

int PreallocateLog(const std::string &path, std::size_t records) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_DIRECT, 0644); // zdio-expect-site: o_direct_open
  if (fd < 0) {
    std::fprintf(stderr, "open %s: %s\n", path.c_str(), std::strerror(errno));
    return -1;
  }

  std::string header = "WAL1";
  header.resize(4096, '\0');
  if (::pwrite(fd, header.data(), header.size(), 0) < 0) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
    std::perror("pwrite header");
  }

  std::vector<char> block(kBlockSize, 0);
  if (::pwrite(fd, block.data(), block.size(), 4096) < 0) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
    std::perror("pwrite first block");
  }

  std::unique_ptr<char[], AlignedDeleter> zero(new (std::align_val_t(4096)) char[kRecord]());
  for (std::size_t i = 1; i <= records; ++i) {
    if (::pwrite(fd, zero.get(), kRecord, static_cast<off_t>(i * kRecord)) < 0) { // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
      std::perror("pwrite record");
      break;
    }
  }
  if (::pwrite(fd, zero.get(), kBlockSize, static_cast<off_t>(kRecord)) < 0) { // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004
    std::perror("pwrite trailer");
  }
  ::fsync(fd);
  ::close(fd);
  return 0;
}

}  // namespace wal

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  return wal::PreallocateLog(argv[1], argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 8) == 0 ? 0 : 1;
}

// Pattern: a buffer class that over-allocates with new[] and rounds its start address up to the alignment, handed to a read helper with constant sizes and offsets (modelled on RocksDB's util/aligned_buffer.h, AlignedBuffer::AllocateNewBuffer and BufferStart, used by its direct-I/O readers).
// zdio-category: cross-function
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

namespace util {

// Storage for direct reads: plain new[] memory, over-allocated by one alignment unit so that a
// start on an aligned address always fits; the start is found by rounding the address up.
class AlignedBuffer {
 public:
  void Alignment(std::size_t alignment) { alignment_ = alignment; }

  void AllocateNewBuffer(std::size_t wanted) {
    std::size_t units = (wanted + alignment_ - 1) / alignment_;
    std::size_t capacity = units * alignment_;
    std::unique_ptr<char[]> storage(new char[capacity + alignment_]);
    uintptr_t raw = reinterpret_cast<uintptr_t>(storage.get());
    uintptr_t start = (raw + alignment_ - 1) / alignment_ * alignment_;
    start_ = reinterpret_cast<char *>(start);
    capacity_ = capacity;
    storage_ = std::move(storage);
  }

  char *BufferStart() { return start_; }
  std::size_t Capacity() const { return capacity_; }

 private:
  std::size_t alignment_ = 4096;
  std::unique_ptr<char[]> storage_;
  char *start_ = nullptr;
  std::size_t capacity_ = 0;
};

}  // namespace util

static constexpr std::size_t kBlock = 16 * 1024;

static ssize_t ReadBlock(int fd, util::AlignedBuffer &buf, std::size_t n, off_t offset) {
  ssize_t r = ::pread(fd, buf.BufferStart(), n, offset); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
  if (r < 0) std::fprintf(stderr, "pread %zu at %lld: %s\n", n, static_cast<long long>(offset), std::strerror(errno));
  return r;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SSTFILE\n", argv[0]);
    return 2;
  }
  int fd = ::open(argv[1], O_RDONLY | O_DIRECT); // zdio-expect-site: o_direct_open
  if (fd < 0) {
    std::perror(argv[1]);
    return 1;
  }
  util::AlignedBuffer buf;
  buf.Alignment(4096);
  buf.AllocateNewBuffer(2 * kBlock);

  ReadBlock(fd, buf, kBlock, 0); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
  ReadBlock(fd, buf, kBlock, kBlock / 8); // zdio-expect: ZDIO003
  ReadBlock(fd, buf, kBlock + 100, kBlock); // zdio-expect: ZDIO002
  ::close(fd);
  return 0;
}

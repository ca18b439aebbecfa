// Pattern: page-aligned buffers declared through type aliases, aligned structs, aligned operator new and aligned_alloc owned by unique_ptr, with whole-page reads (modelled on PostgreSQL's PGIOAlignedBlock type and RocksDB's AlignedBuffer, in C++ spellings).
// zdio-category: negative
#include <array>
#include <cstddef>
#include <cstdlib>
#include <fcntl.h>
#include <memory>
#include <new>
#include <unistd.h>

constexpr std::size_t kPage = 4096;

struct alignas(kPage) Page {
  std::array<unsigned char, kPage> bytes;
};
using PageFrame = Page;
typedef struct alignas(4096) { char data[2 * kPage]; } TwoPages;

struct FreeDeleter {
  void operator()(void *p) const { std::free(p); }
};

int LoadHeader(const char *path, off_t block) {
  int fd = ::open(path, O_RDONLY | O_DIRECT); // zdio-expect-site: o_direct_open
  if (fd < 0) return -1;

  PageFrame frame;
  if (::pread(fd, frame.bytes.data(), frame.bytes.size(), 0) < 0) return -1; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001

  TwoPages pair;
  if (::pread(fd, pair.data, sizeof(pair.data), block * static_cast<off_t>(kPage)) < 0) return -1; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001

  std::unique_ptr<void, FreeDeleter> heap(std::aligned_alloc(kPage, 16 * kPage));
  if (!heap || ::pread(fd, heap.get(), 16 * kPage, 16 * static_cast<off_t>(kPage)) < 0) return -1; // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001

  auto *raw = static_cast<char *>(::operator new[](8 * kPage, std::align_val_t(kPage)));
  ssize_t n = ::pread(fd, raw, 8 * kPage, 0); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
  ::operator delete[](raw, std::align_val_t(kPage));
  ::close(fd);
  return n < 0 ? -1 : 0;
}

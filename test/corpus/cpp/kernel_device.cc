// Pattern: a block-device class that keeps a direct and a buffered descriptor to the same device as members, reads an unaligned range by rounding it out to the block size into an aligned scratch buffer, queues libaio writes on the direct descriptor and writes its label from a stack struct (modelled on Ceph's src/blk/kernel/KernelDevice.cc, open(), direct_read_unaligned() and aio_write()).
// zdio-category: cross-function
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <libaio.h>
#include <unistd.h>

namespace blk {

constexpr uint64_t kBlockSize = 4096;

inline uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }
inline uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

struct DeviceLabel {
  char magic[16];
  uint64_t size;
  uint64_t block_size;
  char osd_uuid[37];
};

class KernelDevice {
 public:
  explicit KernelDevice(std::string path) : path_(std::move(path)) {}
  ~KernelDevice() { close(); }

  int open() {
    fd_direct_ = ::open(path_.c_str(), O_RDWR | O_DIRECT | O_CLOEXEC); // zdio-expect-site: o_direct_open
    if (fd_direct_ < 0)
      return -errno;
    fd_buffered_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
    if (fd_buffered_ < 0) {
      int r = -errno;
      ::close(fd_direct_);
      fd_direct_ = -1;
      return r;
    }
    if (io_setup(16, &aio_ctx_) < 0)
      return -EIO;
    return 0;
  }

  void close() {
    if (fd_direct_ >= 0) ::close(fd_direct_);
    if (fd_buffered_ >= 0) ::close(fd_buffered_);
    fd_direct_ = fd_buffered_ = -1;
  }

  // Reads [off, off+len) into buf through the direct descriptor, widening the range to whole blocks.
  int direct_read_unaligned(uint64_t off, uint64_t len, char *buf) {
    uint64_t aligned_off = align_down(off, kBlockSize);
    uint64_t aligned_len = align_up(off + len, kBlockSize) - aligned_off;
    char *p = static_cast<char *>(std::aligned_alloc(kBlockSize, aligned_len));
    if (!p)
      return -ENOMEM;
    ssize_t r = ::pread(fd_direct_, p, aligned_len, aligned_off); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
    if (r < 0) {
      std::free(p);
      return -errno;
    }
    std::memcpy(buf, p + (off - aligned_off), len);
    std::free(p);
    return 0;
  }

  // The buffered descriptor serves small metadata reads that need no alignment.
  int read_buffered(uint64_t off, uint64_t len, char *buf) {
    ssize_t r = ::pread(fd_buffered_, buf, len, off); // zdio-expect-none: o_direct_io
    return r < 0 ? -errno : 0;
  }

  int write_label(uint64_t dev_size) {
    DeviceLabel label{};
    std::strncpy(label.magic, "bluestore block", sizeof(label.magic));
    label.size = dev_size;
    label.block_size = kBlockSize;
    ssize_t r = ::pwrite(fd_direct_, &label, sizeof(label), 0); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
    return r < 0 ? -errno : 0;
  }

  // Queues one write of a block-aligned buffer and waits for it.
  int aio_write_block(const void *aligned, uint64_t len, uint64_t off) {
    struct iocb cb;
    struct iocb *cbs[1] = { &cb };
    io_prep_pwrite(&cb, fd_direct_, const_cast<void *>(aligned), len, off); // zdio-expect-site: o_direct_io
    if (io_submit(aio_ctx_, 1, cbs) != 1)
      return -EIO;
    struct io_event ev;
    if (io_getevents(aio_ctx_, 1, 1, &ev, nullptr) != 1)
      return -EIO;
    return static_cast<long>(ev.res) < 0 ? static_cast<int>(ev.res) : 0;
  }

 private:
  std::string path_;
  int fd_direct_ = -1;
  int fd_buffered_ = -1;
  io_context_t aio_ctx_{};
};

}  // namespace blk

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  blk::KernelDevice dev(argv[1]);
  if (dev.open() < 0)
    return 1;

  char superblock[200];
  if (dev.direct_read_unaligned(0x1000 + 100, sizeof(superblock), superblock) < 0)
    return 1;
  char meta[64];
  if (dev.read_buffered(8192 + 17, sizeof(meta), meta) < 0)
    return 1;

  void *block = nullptr;
  if (posix_memalign(&block, blk::kBlockSize, 2 * blk::kBlockSize) != 0)
    return 1;
  std::memset(block, 0, 2 * blk::kBlockSize);
  if (dev.aio_write_block(block, 2 * blk::kBlockSize, 0x10000) < 0) // zdio-expect: ZDIO004
    return 1;
  if (dev.aio_write_block(block, blk::kBlockSize, 0x10000 + 512) < 0) // zdio-expect: ZDIO003
    return 1;
  if (dev.write_label(1ull << 30) < 0)
    return 1;
  std::free(block);
  return 0;
}

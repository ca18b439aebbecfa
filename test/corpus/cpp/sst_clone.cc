// Pattern: an ingestion path that clones with FICLONE, then a FICLONERANGE head in block-sized pieces via ::ioctl, then ::copy_file_range for the tail, and leaves std::filesystem::copy_file to the library (modelled on GNU coreutils' src/copy.c clone-then-copy_file_range fallback, written in C++).
// zdio-category: call-form
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace ingest {

constexpr std::uint64_t kBlockSize = 4096;
constexpr std::uint64_t kCloneChunk = 256 * kBlockSize;

int CloneHead(int src, int dst) {
  file_clone_range range{};
  range.src_fd = src;
  range.src_offset = 0;
  range.src_length = kCloneChunk - kBlockSize; // zdio-expect: ZDIO020
  range.dest_offset = 0;
  return ::ioctl(dst, FICLONERANGE, &range); // zdio-expect-site: ficlone
}

int CloneWhole(int src, int dst) {
  return ::ioctl(dst, FICLONE, src); // zdio-expect-site: ficlone
}

long CopyTail(int src, int dst, std::uint64_t tail_len) {
  loff_t in = static_cast<loff_t>(kCloneChunk), out = static_cast<loff_t>(kCloneChunk);
  ssize_t n = ::copy_file_range(src, &in, dst, &out, tail_len, 0); // zdio-expect-site: copy_file_range
  if (n < 0 && (errno == EXDEV || errno == EOPNOTSUPP)) return -2;
  return n;
}

bool Ingest(const char *from, const char *to) {
  int src = ::open(from, O_RDONLY);
  int dst = ::open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (src < 0 || dst < 0) return false;
  bool ok = CloneWhole(src, dst) == 0 || (CloneHead(src, dst) == 0 && CopyTail(src, dst, 3 * kBlockSize) >= 0); // zdio-expect: ZDIO010
  ::close(src);
  ::close(dst);
  if (!ok) {
    std::error_code ec;
    ok = std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, ec); // zdio-expect-none: copy_file_range
  }
  return ok;
}

}  // namespace ingest

// Pattern: a storage engine's file classes that add O_DIRECT from an options struct in the constructor and read a small footer into a heap scratch buffer in a method (modelled on RocksDB's env/io_posix.cc and env/fs_posix.cc, PosixRandomAccessFile and NewRandomAccessFile with use_direct_reads).
// zdio-category: cross-function
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <string>
#include <unistd.h>

namespace storage {

constexpr std::size_t kFooterSize = 53;
constexpr std::size_t kDefaultPageSize = 4 * 1024;

struct FileOptions {
  bool use_direct_reads = false;
  bool use_mmap_reads = false;
};

class Status {
 public:
  static Status OK() { return Status(0, {}); }
  static Status IOError(const std::string &ctx, int err) { return Status(err, ctx + ": " + std::strerror(err)); }
  bool ok() const { return code_ == 0; }

 private:
  Status(int code, std::string msg) : code_(code), msg_(std::move(msg)) {}
  int code_;
  std::string msg_;
};

class PosixRandomAccessFile {
 public:
  PosixRandomAccessFile(std::string fname, int fd, bool direct) : filename_(std::move(fname)), fd_(fd), use_direct_io_(direct) {}
  ~PosixRandomAccessFile() { ::close(fd_); }

  Status ReadFooter(uint64_t file_size, std::string *out) const {
    std::unique_ptr<char[]> scratch(new char[kFooterSize]);
    ssize_t r = ::pread(fd_, scratch.get(), kFooterSize, static_cast<off_t>(file_size - kFooterSize)); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
    if (r < 0) return Status::IOError("footer of " + filename_, errno);
    out->assign(scratch.get(), static_cast<std::size_t>(r));
    return Status::OK();
  }

  Status ReadFirstPage(std::string *out) const {
    void *page = nullptr;
    if (posix_memalign(&page, kDefaultPageSize, kDefaultPageSize) != 0) return Status::IOError(filename_, ENOMEM);
    std::unique_ptr<char, decltype(&std::free)> guard(static_cast<char *>(page), &std::free);
    ssize_t r = ::pread(fd_, page, kDefaultPageSize, 0); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
    if (r < 0) return Status::IOError("first page of " + filename_, errno);
    out->assign(static_cast<char *>(page), static_cast<std::size_t>(r));
    return Status::OK();
  }

  bool use_direct_io() const { return use_direct_io_; }

 private:
  std::string filename_;
  int fd_;
  bool use_direct_io_;
};

Status NewRandomAccessFile(const std::string &fname, const FileOptions &options, std::unique_ptr<PosixRandomAccessFile> *result) {
  int flags = O_RDONLY | O_CLOEXEC;
  if (options.use_direct_reads && !options.use_mmap_reads) {
    flags |= O_DIRECT;
  }
  int fd = -1;
  for (int attempt = 0; attempt < 3 && fd < 0; ++attempt) {
    fd = ::open(fname.c_str(), flags, 0644); // zdio-expect-site: o_direct_open
    if (fd < 0 && errno != EINTR) break;
  }
  if (fd < 0) return Status::IOError("open for random reads " + fname, errno);
  result->reset(new PosixRandomAccessFile(fname, fd, (flags & O_DIRECT) != 0));
  return Status::OK();
}

}  // namespace storage

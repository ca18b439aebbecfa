// Pattern: a header-only direct-I/O reader class in a .hxx header, opening with O_DIRECT in the constructor and reading with a std::vector in an inline method (modelled on RocksDB's NewRandomAccessFile/PosixRandomAccessFile read path, moved into a header-only class).
// zdio-category: file-name
#ifndef DIRECT_READER_HXX
#define DIRECT_READER_HXX

#include <cerrno>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>
#include <vector>

class DirectReader {
 public:
  explicit DirectReader(const std::string &path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC); // zdio-expect-site: o_direct_open
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), path);
  }
  ~DirectReader() { if (fd_ >= 0) ::close(fd_); }
  DirectReader(const DirectReader &) = delete;
  DirectReader &operator=(const DirectReader &) = delete;

  std::vector<char> ReadMagic() const {
    std::vector<char> magic(4096);
    ssize_t n = ::pread(fd_, magic.data(), magic.size(), 0); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
    if (n < 0) throw std::system_error(errno, std::generic_category(), "pread magic");
    magic.resize(static_cast<std::size_t>(n));
    return magic;
  }

 private:
  int fd_ = -1;
};

#endif

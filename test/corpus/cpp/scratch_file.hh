// Pattern: a small .hh header with an inline RAII scratch file that opens with O_DIRECT and stamps its first sector from a std::array on the stack (modelled on the scratch files LTP tests create in setup() and remove in cleanup(), as a C++ class in a .hh header).
// zdio-category: file-name
#pragma once

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <string>
#include <system_error>
#include <unistd.h>

class ScratchFile {
 public:
  explicit ScratchFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0600); // zdio-expect-site: o_direct_open
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), path_);
  }
  ~ScratchFile() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }

  void Stamp() {
    std::array<char, 512> sector{};
    sector[0] = 'S';
    if (::pwrite(fd_, sector.data(), sector.size(), 0) < 0) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
      throw std::system_error(errno, std::generic_category(), "stamp");
  }

 private:
  std::string path_;
  int fd_ = -1;
};

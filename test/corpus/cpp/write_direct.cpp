// Pattern: a writer class whose member function returns the open flags (O_DIRECT when the object allows it), a member that opens with them, an aligned append that seeks to the file's end and a header write from a stack array, with an fwrite fallback for the unaligned remainder (modelled on the WriteDirect class, write_dio.cpp wropenflags()/wropenfd()/BlockingAppendDirect(), of an N-body simulation code's I/O layer).
// zdio-category: cross-function
#include <cassert>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

class DirectWriter {
 public:
  explicit DirectWriter(bool allow_direct) : allow_direct_(allow_direct) {}

  int open_flags() const {
    if (!allow_direct_)
      return O_CREAT | O_APPEND | O_WRONLY;
    return O_CREAT | O_WRONLY | O_DIRECT | O_LARGEFILE;
  }

  int open_fd(const char *fn, int flags) const {
    int fd = ::open(fn, flags, 0666); // zdio-expect-site: o_direct_open
    if (fd < 0)
      std::fprintf(stderr, "cannot open %s: %s\n", fn, std::strerror(errno));
    assert(fd >= 0);
    return fd;
  }

  // Appends whole 4 KiB blocks from an aligned buffer at the file's current end.
  void append_aligned(const char *fn, const char *x, size_t length) const {
    assert(length % 4096 == 0);
    int fd = open_fd(fn, open_flags());
    off_t end = ::lseek(fd, 0, SEEK_END);
    assert(end >= 0);
    size_t written = 0;
    while (written < length) {
      ssize_t n = ::write(fd, x + written, length - written); // zdio-expect-site: o_direct_io
      assert(n > 0);
      written += static_cast<size_t>(n);
    }
    ::close(fd);
  }

  // Writes the header file that readers check before they map the slab.
  void write_header(const char *fn, uint64_t particles) const {
    char header[256];
    std::memset(header, ' ', sizeof(header));
    std::snprintf(header, sizeof(header), "#N %llu\n", static_cast<unsigned long long>(particles));
    int fd = open_fd(fn, open_flags() | O_TRUNC);
    ssize_t n = ::write(fd, header, sizeof(header)); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
    assert(n == static_cast<ssize_t>(sizeof(header)));
    ::close(fd);
  }

  void append_fwrite(const char *fn, const char *x, size_t length) const {
    FILE *fp = std::fopen(fn, "ab");
    assert(fp);
    size_t n = std::fwrite(x, 1, length, fp); // zdio-expect-none: o_direct_io
    assert(n == length);
    std::fclose(fp);
  }

 private:
  bool allow_direct_;
};

int main(int argc, char **argv) {
  const char *fn = argc > 1 ? argv[1] : "slab.dat";
  const char *header_fn = argc > 2 ? argv[2] : "slab.hdr";
  DirectWriter writer(true);
  writer.write_header(header_fn, 1u << 20);

  void *slab = nullptr;
  if (posix_memalign(&slab, 4096, 64 * 4096) != 0)
    return 1;
  std::memset(slab, 0, 64 * 4096);
  writer.append_aligned(fn, static_cast<const char *>(slab), 64 * 4096);
  writer.append_fwrite(fn, "trailer\n", 8);
  std::free(slab);
  return 0;
}

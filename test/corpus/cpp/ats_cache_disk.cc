// Pattern: a proxy cache that opens each raw cache span with O_DIRECT, describes it with a CacheDisk object whose constructor works out the skip and the one-store-block header length from macros, writes the header through accessors that return those members, and reads small documents in 512-byte cache blocks from a stripe that starts after the header (modelled on Apache Traffic Server's iocore/cache/CacheDisk.cc CacheDisk::open() and sync(), START_POS, ROUND_TO_STORE_BLOCK, and the Stripe/Vol read of a Doc in CACHE_BLOCK_SIZE units).
// zdio-category: cross-function
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <cstdio>
#include <memory>
#include <string>

#define CACHE_BLOCK_SIZE 512
#define STORE_BLOCK_SIZE 8192
#define START_BLOCKS 16
#define START_POS ((off_t)START_BLOCKS * CACHE_BLOCK_SIZE)
#define ROUND_TO_STORE_BLOCK(x) (((x) + (STORE_BLOCK_SIZE - 1)) & ~(off_t)(STORE_BLOCK_SIZE - 1))
#define ROUND_TO_CACHE_BLOCK(x) (((x) + (CACHE_BLOCK_SIZE - 1)) & ~(off_t)(CACHE_BLOCK_SIZE - 1))
#define DISK_HEADER_MAGIC 0xABCD1237

namespace cache {

struct DiskHeader {
    uint32_t magic;
    uint32_t num_volumes;
    uint32_t num_free;
    uint32_t num_used;
    uint64_t num_blocks;
};

int open_span(const std::string& path) {
    int opts = O_RDWR | O_CLOEXEC;
#ifdef O_DIRECT
    opts |= O_DIRECT;
#endif
    int fd = ::open(path.c_str(), opts); // zdio-expect-site: o_direct_open
    if (fd < 0)
        std::fprintf(stderr, "cache span %s: %s\n", path.c_str(), std::strerror(errno));
    return fd;
}

class CacheDisk {
public:
    CacheDisk(std::string path, int fd, off_t span_bytes, off_t skip_bytes)
        : path_(std::move(path)), fd_(fd), len_(span_bytes),
          skip_(ROUND_TO_STORE_BLOCK(skip_bytes < START_POS ? START_POS : skip_bytes)),
          header_len_(STORE_BLOCK_SIZE) {
        if (::posix_memalign(&header_, static_cast<size_t>(::sysconf(_SC_PAGESIZE)), header_len_) != 0)
            header_ = nullptr;
        else
            ::memset(header_, 0, header_len_);
    }
    ~CacheDisk() {
        ::free(header_);
        ::close(fd_);
    }
    CacheDisk(const CacheDisk&) = delete;
    CacheDisk& operator=(const CacheDisk&) = delete;

    int fd() const { return fd_; }
    off_t skip() const { return skip_; }
    size_t headerLen() const { return header_len_; }
    off_t start() const { return skip_ + static_cast<off_t>(header_len_); }
    bool ok() const { return header_ != nullptr && fd_ >= 0; }

    bool sync() {
        auto* h = static_cast<DiskHeader*>(header_);
        h->magic = DISK_HEADER_MAGIC;
        h->num_blocks = static_cast<uint64_t>((len_ - start()) / STORE_BLOCK_SIZE);
        ssize_t n = ::pwrite(fd_, header_, headerLen(), skip()); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        return n == static_cast<ssize_t>(headerLen());
    }

private:
    std::string path_;
    int fd_;
    off_t len_;
    off_t skip_;
    size_t header_len_;
    void* header_ = nullptr;
};

class Stripe {
public:
    explicit Stripe(CacheDisk& disk) : disk_(disk), start_(disk.start()) {}

    ssize_t readDoc(void* buf, uint64_t offset_blocks, size_t approx_size) {
        size_t len = static_cast<size_t>(ROUND_TO_CACHE_BLOCK(approx_size));
        off_t pos = start_ + static_cast<off_t>(offset_blocks * CACHE_BLOCK_SIZE);
        return ::pread(disk_.fd(), buf, len, pos); // zdio-expect-site: o_direct_io
    }

private:
    CacheDisk& disk_;
    off_t start_;
};

}  // namespace cache

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s SPAN\n", argv[0]);
        return 2;
    }
    int fd = cache::open_span(argv[1]);
    if (fd < 0)
        return 1;
    cache::CacheDisk disk(argv[1], fd, off_t{1} << 30, 0);
    if (!disk.ok() || !disk.sync())
        return 1;

    void* doc = nullptr;
    if (::posix_memalign(&doc, 4096, 1 << 20) != 0)
        return 1;
    cache::Stripe stripe(disk);
    ssize_t got = stripe.readDoc(doc, 3, 700); // zdio-expect: ZDIO002, ZDIO003, zdio-expect-none: ZDIO001
    ssize_t big = stripe.readDoc(doc, 256, 1 << 20); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
    ::free(doc);
    return got < 0 || big < 0 ? 1 : 0;
}

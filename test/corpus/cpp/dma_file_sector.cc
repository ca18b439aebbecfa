// Pattern: a DMA file class that always opens with O_DIRECT and reports its disk and memory DMA alignments through member functions, an aligned-buffer factory taking the alignment as a parameter, and a log segment writer that sizes its superblock from the disk alignment (a 512-byte logical sector), writes whole chunks and then a smaller trailer after the first chunk (modelled on Seastar's include/seastar/core/file.hh and src/core/file.cc, open_file_dma(), dma_write()/dma_read(), disk_write_dma_alignment() and allocate_aligned_buffer()).
// zdio-category: cross-function
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>

namespace dma {

constexpr size_t kLogicalSector = 512;
constexpr size_t kMemoryAlignment = 4096;
constexpr size_t kChunk = 128 * 1024;
constexpr size_t kTrailer = 8 * 1024;

struct free_deleter {
    void operator()(void* p) const { ::free(p); }
};

template <typename T>
std::unique_ptr<T[], free_deleter> allocate_aligned_buffer(size_t size, size_t align) {
    void* p = nullptr;
    if (::posix_memalign(&p, align, size * sizeof(T)) != 0)
        throw std::bad_alloc();
    ::memset(p, 0, size * sizeof(T));
    return std::unique_ptr<T[], free_deleter>(static_cast<T*>(p));
}

class dma_file {
public:
    dma_file(int fd, size_t disk_align) : fd_(fd), disk_write_align_(disk_align) {}
    dma_file(dma_file&& o) noexcept : fd_(o.fd_), disk_write_align_(o.disk_write_align_) { o.fd_ = -1; }
    ~dma_file() {
        if (fd_ >= 0)
            ::close(fd_);
    }

    size_t disk_write_dma_alignment() const { return disk_write_align_; }
    size_t memory_dma_alignment() const { return kMemoryAlignment; }

    ssize_t dma_write(uint64_t pos, const char* buffer, size_t len) {
        ssize_t n = ::pwrite(fd_, buffer, len, static_cast<off_t>(pos)); // zdio-expect-site: o_direct_io
        if (n < 0)
            throw std::system_error(errno, std::system_category(), "dma_write");
        return n;
    }

    ssize_t dma_read(uint64_t pos, char* buffer, size_t len) {
        ssize_t n = ::pread(fd_, buffer, len, static_cast<off_t>(pos)); // zdio-expect-site: o_direct_io
        if (n < 0)
            throw std::system_error(errno, std::system_category(), "dma_read");
        return n;
    }

private:
    int fd_;
    size_t disk_write_align_;
};

dma_file open_file_dma(const std::string& name, int open_flags) {
    int fd = ::open(name.c_str(), open_flags | O_DIRECT | O_CLOEXEC, 0644); // zdio-expect-site: o_direct_open
    if (fd < 0)
        throw std::system_error(errno, std::system_category(), name);
    return dma_file(fd, kLogicalSector);
}

}  // namespace dma

namespace {

struct segment_header {
    char magic[8];
    uint64_t segment_id;
};

void write_segment(dma::dma_file& f, uint64_t id) {
    const size_t sb_size = f.disk_write_dma_alignment();
    auto sb = dma::allocate_aligned_buffer<char>(sb_size, f.disk_write_dma_alignment());
    segment_header hdr{{'S', 'E', 'G', 'M', 'E', 'N', 'T', '1'}, id};
    ::memcpy(sb.get(), &hdr, sizeof(hdr));
    f.dma_write(0, sb.get(), sb_size); // zdio-expect: ZDIO001, ZDIO002

    auto chunk = dma::allocate_aligned_buffer<char>(dma::kChunk, f.memory_dma_alignment());
    f.dma_write(dma::kChunk, chunk.get(), dma::kChunk); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
    f.dma_write(2 * dma::kChunk, chunk.get(), dma::kTrailer); // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002

    auto check = dma::allocate_aligned_buffer<char>(dma::kMemoryAlignment, f.memory_dma_alignment());
    f.dma_read(dma::kChunk + dma::kLogicalSector, check.get(), dma::kMemoryAlignment); // zdio-expect: ZDIO003, zdio-expect-none: ZDIO001, ZDIO002
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s SEGMENT\n", argv[0]);
        return 2;
    }
    try {
        auto f = dma::open_file_dma(argv[1], O_RDWR | O_CREAT | O_TRUNC);
        write_segment(f, 1);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}

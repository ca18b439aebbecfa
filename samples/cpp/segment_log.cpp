// segment_log: an append-only log of fixed-size segments, written with O_DIRECT so a
// busy log does not evict the read cache. Each segment is one megabyte; a small
// trailer with a checksum closes the segment.
//
// Build: c++ -std=c++17 -O2 -Wall -o segment_log segment_log.cpp
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

namespace seglog {

constexpr std::size_t kPageSize = 4096;
constexpr std::size_t kSegmentBytes = std::size_t{1} << 20;   // 1 MiB, eight 128 KiB records
constexpr std::size_t kTrailerBytes = 40;                      // magic, length, crc64, padding
constexpr off_t kTrailerOffset = kSegmentBytes;
constexpr std::size_t kProbeBytes = 6 * kPageSize;            // what `seglog check` reads back

struct FreeDeleter {
    void operator()(void* p) const { std::free(p); }
};
using AlignedBuffer = std::unique_ptr<char, FreeDeleter>;

// Page-aligned memory, as O_DIRECT wants it.
AlignedBuffer allocate_aligned(std::size_t bytes) {
    void* raw = std::aligned_alloc(kPageSize, bytes);
    if (raw == nullptr) throw std::bad_alloc();
    return AlignedBuffer(static_cast<char*>(raw));
}

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

// Writes one full segment: aligned buffer, whole records, record-aligned offset.
void write_segment(const std::string& path, const std::string& payload) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644);
    if (fd < 0) fail("open");

    AlignedBuffer segment = allocate_aligned(kSegmentBytes);
    std::memset(segment.get(), 0, kSegmentBytes);
    std::memcpy(segment.get(), payload.data(), std::min(payload.size(), kSegmentBytes));
    if (::pwrite(fd, segment.get(), kSegmentBytes, 0) != static_cast<ssize_t>(kSegmentBytes)) fail("pwrite segment");

    // The trailer goes right after the segment. A 40-byte O_DIRECT write is rejected
    // by OpenZFS 2.3 (EINVAL) and silently buffered by 2.4.
    alignas(4096) static char trailer[kPageSize];
    std::memcpy(trailer, "SEGEND01", 8);
    if (::pwrite(fd, trailer, kTrailerBytes, kTrailerOffset) < 0) fail("pwrite trailer");
    ::close(fd);
}

// Reads back the start of a segment to check its header.
bool check_segment(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECT);
    if (fd < 0) fail("open");

    char* probe = new char[kProbeBytes];
    ssize_t got = ::pread(fd, probe, kProbeBytes, 0);
    ::close(fd);
    bool ok = got > 0 && probe[0] != '\0';
    delete[] probe;
    return ok;
}

}  // namespace seglog

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: " << argv[0] << " write|check FILE [TEXT]\n";
        return 2;
    }
    try {
        const std::string command = argv[1];
        if (command == "write") {
            seglog::write_segment(argv[2], argc > 3 ? argv[3] : "hello");
        } else if (command == "check") {
            return seglog::check_segment(argv[2]) ? 0 : 1;
        } else {
            std::cerr << "unknown command " << command << "\n";
            return 2;
        }
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}

// Pattern: a buffered file class that gathers writes into an aligned 128 KiB buffer, flushes whole buffers through an O_DIRECT descriptor, drops O_DIRECT with fcntl before the odd-sized tail, and offers a positional read into the caller's buffer (modelled on the TDirectIOBufferedFile class of Yandex's util/system/direct_io.h, used by YDB and CatBoost).
// zdio-category: cross-function
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr size_t kAlignment = 4096;

struct ChunkHeader {
    uint32_t magic;
    uint32_t version;
    uint64_t payload_bytes;
    char label[48];
};

class DirectBufferedFile {
public:
    DirectBufferedFile(const std::string& path, bool direct, size_t buflen = 1 << 17)
        : direct_(direct), buflen_(buflen) {
        int flags = O_RDWR | O_CREAT | O_TRUNC;
        if (direct_)
            flags |= O_DIRECT;
        fd_ = ::open(path.c_str(), flags, 0644); // zdio-expect-site: o_direct_open
        if (fd_ < 0)
            throw std::runtime_error("open " + path);
        if (posix_memalign(&buffer_, kAlignment, buflen_) != 0)
            throw std::bad_alloc();
    }

    ~DirectBufferedFile() {
        if (fd_ >= 0)
            ::close(fd_);
        free(buffer_);
    }

    void Write(const void* data, size_t size) {
        const char* src = static_cast<const char*>(data);
        while (size > 0) {
            size_t room = buflen_ - filled_;
            size_t take = size < room ? size : room;
            memcpy(static_cast<char*>(buffer_) + filled_, src, take);
            filled_ += take;
            src += take;
            size -= take;
            if (filled_ == buflen_)
                FlushData();
        }
    }

    void FlushData() {
        ssize_t n = ::pwrite(fd_, buffer_, buflen_, position_); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO004
        if (n != static_cast<ssize_t>(buflen_))
            throw std::runtime_error("flush");
        position_ += buflen_;
        filled_ = 0;
    }

    void WriteHeader(uint64_t payload) {
        ChunkHeader header{};
        header.magic = 0x44494f46;
        header.version = 2;
        header.payload_bytes = payload;
        strncpy(header.label, "chunk", sizeof(header.label) - 1);
        if (::pwrite(fd_, &header, sizeof(header), 0) != sizeof(header)) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
            throw std::runtime_error("header");
    }

    void Finish() {
        if (filled_ == 0)
            return;
        int flags = ::fcntl(fd_, F_GETFL);
        ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT); // zdio-expect-none: o_direct_open
        ssize_t n = ::pwrite(fd_, buffer_, filled_, position_); // zdio-expect-none: ZDIO002, o_direct_io
        if (n != static_cast<ssize_t>(filled_))
            throw std::runtime_error("tail");
        position_ += filled_;
        filled_ = 0;
    }

    size_t Pread(void* dst, size_t count, uint64_t offset) const {
        ssize_t n = ::pread(fd_, dst, count, offset); // zdio-expect-site: o_direct_io
        if (n < 0)
            throw std::runtime_error("pread");
        return static_cast<size_t>(n);
    }

private:
    int fd_ = -1;
    bool direct_;
    size_t buflen_;
    void* buffer_ = nullptr;
    size_t filled_ = 0;
    uint64_t position_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    const std::string path = argc > 1 ? argv[1] : "chunk.bin";
    DirectBufferedFile out(path, true);

    std::vector<char> payload(3 * 131072 + 777, 'x');
    out.Write(payload.data(), payload.size());

    std::vector<char> check(kAlignment);
    out.Pread(check.data(), check.size(), 0); // zdio-expect: ZDIO001

    void* aligned = nullptr;
    if (posix_memalign(&aligned, kAlignment, kAlignment) != 0)
        return 1;
    out.Pread(aligned, kAlignment, 131072); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
    out.Pread(aligned, kAlignment, 100); // zdio-expect: ZDIO003
    out.Pread(aligned, 512, 0); // zdio-expect: ZDIO002

    out.WriteHeader(payload.size());
    out.Finish();
    free(aligned);
    return 0;
}

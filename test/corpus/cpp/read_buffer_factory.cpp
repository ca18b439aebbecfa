// Pattern: a read-buffer class whose constructor takes open flags with a -1 default and an alignment with a 0 default, a factory that adds O_DIRECT and the AIO block alignment when the estimated size passes a threshold, and readers that seek to a granule before reading (modelled on ClickHouse's src/IO/ReadBufferFromFile.cpp, ReadBufferFromFileDescriptor::nextImpl() and createReadBufferFromFileBase() with direct_io_threshold and DEFAULT_AIO_FILE_BLOCK_SIZE).
// zdio-category: cross-function
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

namespace io {

constexpr size_t DEFAULT_BUFFER_SIZE = 1024 * 1024;
constexpr size_t DEFAULT_AIO_FILE_BLOCK_SIZE = 4096;

class ReadBufferFromFile {
public:
    explicit ReadBufferFromFile(const std::string& file_name, size_t buf_size = DEFAULT_BUFFER_SIZE, int flags = -1,
                                size_t alignment = 0)
        : file_name_(file_name), size_(buf_size) {
        fd_ = ::open(file_name.c_str(), flags == -1 ? O_RDONLY | O_CLOEXEC : flags | O_CLOEXEC); // zdio-expect-site: o_direct_open
        if (fd_ == -1)
            throw std::runtime_error("cannot open " + file_name);
        void* p = nullptr;
        if (alignment == 0)
            p = ::malloc(buf_size);
        else if (::posix_memalign(&p, alignment, buf_size) != 0)
            p = nullptr;
        if (p == nullptr)
            throw std::bad_alloc();
        memory_ = static_cast<char*>(p);
    }

    ~ReadBufferFromFile() {
        ::close(fd_);
        ::free(memory_);
    }

    void seek(off_t offset) { file_offset_ = offset; }

    ssize_t next() {
        ssize_t res = ::pread(fd_, memory_, size_, file_offset_); // zdio-expect-site: o_direct_io
        if (res < 0)
            throw std::runtime_error("cannot read " + file_name_);
        file_offset_ += res;
        return res;
    }

    const char* data() const { return memory_; }

private:
    std::string file_name_;
    int fd_ = -1;
    char* memory_ = nullptr;
    size_t size_;
    off_t file_offset_ = 0;
};

std::unique_ptr<ReadBufferFromFile> createReadBufferFromFileBase(const std::string& path, size_t estimated_size,
                                                                 size_t direct_io_threshold, size_t buffer_size) {
    if (direct_io_threshold && estimated_size >= direct_io_threshold) {
        int flags = O_RDONLY | O_DIRECT;
        return std::make_unique<ReadBufferFromFile>(path, buffer_size, flags, DEFAULT_AIO_FILE_BLOCK_SIZE);
    }
    return std::make_unique<ReadBufferFromFile>(path, buffer_size);
}

}  // namespace io

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s PART_DIR\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    const size_t threshold = 10 * 1024 * 1024;

    try {
        // Column data: large, so it is read directly, 1 MiB at a time from granule 2 (at 2 MiB).
        auto column = io::createReadBufferFromFileBase(dir + "/data.bin", 64 * 1024 * 1024, threshold, io::DEFAULT_BUFFER_SIZE);
        column->seek(2 * 1024 * 1024);
        column->next(); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003

        // A primary index read directly with a buffer of 1000 rows of 24 bytes.
        auto index = io::createReadBufferFromFileBase(dir + "/primary.idx", 32 * 1024 * 1024, threshold, 24000); // zdio-expect: ZDIO002
        index->next();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}

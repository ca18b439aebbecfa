// Pattern: a flash-cache device layer: a Device base class whose write() and read() check nothing and call virtual writeImpl()/readImpl(), a FileDevice that opens its file with O_DIRECT when the config says so, an aligned Buffer class sized and aligned by the device's I/O alignment, and a region manager that writes region data, a per-region metadata page and reads a small header (modelled on CacheLib's cachelib/navy/common/Device.cpp FileDevice, navy/common/Buffer.h and navy/block_cache/RegionManager.cpp).
// zdio-category: cross-function
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <new>
#include <string>
#include <system_error>

namespace navy {

class Buffer {
public:
    Buffer(size_t size, size_t alignment) : size_(size) {
        if (::posix_memalign(reinterpret_cast<void**>(&data_), alignment, size) != 0)
            throw std::bad_alloc();
        ::memset(data_, 0, size);
    }
    ~Buffer() { ::free(data_); }
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    uint8_t* data() { return data_; }
    const uint8_t* data() const { return data_; }
    size_t size() const { return size_; }

private:
    uint8_t* data_ = nullptr;
    size_t size_;
};

class Device {
public:
    explicit Device(uint32_t ioAlignSize) : ioAlignSize_(ioAlignSize) {}
    virtual ~Device() = default;

    bool write(uint64_t offset, const Buffer& buffer) { return writeImpl(offset, buffer.size(), buffer.data()); }
    bool read(uint64_t offset, uint32_t size, void* value) { return readImpl(offset, size, value); }
    uint32_t getIOAlignmentSize() const { return ioAlignSize_; }
    Buffer makeIOBuffer(size_t size) const { return Buffer(size, ioAlignSize_); }

protected:
    virtual bool writeImpl(uint64_t offset, uint32_t size, const void* value) = 0;
    virtual bool readImpl(uint64_t offset, uint32_t size, void* value) = 0;

private:
    const uint32_t ioAlignSize_;
};

class FileDevice final : public Device {
public:
    FileDevice(int fd, uint32_t ioAlignSize) : Device(ioAlignSize), fd_(fd) {}
    ~FileDevice() override { ::close(fd_); }

private:
    bool writeImpl(uint64_t offset, uint32_t size, const void* value) override {
        ssize_t n = ::pwrite(fd_, value, size, static_cast<off_t>(offset)); // zdio-expect-site: o_direct_io
        return n == static_cast<ssize_t>(size);
    }
    bool readImpl(uint64_t offset, uint32_t size, void* value) override {
        ssize_t n = ::pread(fd_, value, size, static_cast<off_t>(offset)); // zdio-expect-site: o_direct_io
        return n == static_cast<ssize_t>(size);
    }

    int fd_;
};

struct NavyConfig {
    std::string path;
    bool truncate = true;
    bool directIO = true;
    uint32_t ioAlignSize = 4096;
    uint32_t regionSize = 16 * 1024 * 1024;
};

std::unique_ptr<Device> createFileDevice(const NavyConfig& config) {
    int flags = O_RDWR | O_CREAT;
    if (config.truncate)
        flags |= O_TRUNC;
    if (config.directIO)
        flags |= O_DIRECT;
    int fd = ::open(config.path.c_str(), flags, 0644); // zdio-expect-site: o_direct_open
    if (fd < 0)
        throw std::system_error(errno, std::system_category(), config.path);
    return std::make_unique<FileDevice>(fd, config.ioAlignSize);
}

class RegionManager {
public:
    RegionManager(Device& device, uint32_t regionSize) : device_(device), regionSize_(regionSize) {}

    bool flushRegion(uint32_t rid, const Buffer& data) { return device_.write(uint64_t{rid} * regionSize_, data); }

    bool writeRegionMeta(uint32_t rid) {
        Buffer meta = device_.makeIOBuffer(device_.getIOAlignmentSize());
        ::memcpy(meta.data(), &rid, sizeof(rid));
        return device_.write(uint64_t{rid} * regionSize_ + regionSize_ - device_.getIOAlignmentSize(), meta); // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001
    }

    bool readEntryHeader(uint32_t rid, void* out) { return device_.read(uint64_t{rid} * regionSize_, 64, out); } // zdio-expect: ZDIO002

private:
    Device& device_;
    const uint32_t regionSize_;
};

}  // namespace navy

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CACHE_FILE\n", argv[0]);
        return 2;
    }
    navy::NavyConfig config;
    config.path = argv[1];
    try {
        auto device = navy::createFileDevice(config);
        navy::RegionManager regions(*device, config.regionSize);
        navy::Buffer region = device->makeIOBuffer(config.regionSize);
        if (!regions.flushRegion(3, region)) // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
            return 1;
        if (!regions.writeRegionMeta(3))
            return 1;
        navy::Buffer header = device->makeIOBuffer(config.ioAlignSize);
        if (!regions.readEntryHeader(3, header.data())) // zdio-expect-none: ZDIO001, ZDIO003
            return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}

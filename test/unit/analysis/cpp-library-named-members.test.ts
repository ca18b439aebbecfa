// C++: a device or file class's own `read()` / `write()` members, called through an object, are helpers
// like any member function (CacheLib's Device::read → readImpl); a plain `read(…)` call stays the C
// library's and never reaches the member.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const DEVICE = `#include <fcntl.h>
#include <unistd.h>
#include <memory>
#include <cstdint>
class Device {
public:
    virtual ~Device() = default;
    bool read(uint64_t offset, void* value, uint32_t size) { return readImpl(offset, size, value); }
    bool write(uint64_t offset, const void* value, uint32_t size) { return writeImpl(offset, size, value); }
protected:
    virtual bool readImpl(uint64_t offset, uint32_t size, void* value) = 0;
    virtual bool writeImpl(uint64_t offset, uint32_t size, const void* value) = 0;
};
class FileDevice final : public Device {
public:
    explicit FileDevice(int fd) : fd_(fd) {}
private:
    bool readImpl(uint64_t offset, uint32_t size, void* value) override {
        return ::pread(fd_, value, size, static_cast<off_t>(offset)) == size;
    }
    bool writeImpl(uint64_t offset, uint32_t size, const void* value) override {
        return ::pwrite(fd_, value, size, static_cast<off_t>(offset)) == size;
    }
    int fd_;
};
std::unique_ptr<Device> Make(const char* p) {
    int fd = ::open(p, O_RDWR | O_DIRECT);
    return std::make_unique<FileDevice>(fd);
}
`;

test('cpp: member functions named read() and write() called through an object pass their arguments on', async () => {
  const text = `${DEVICE}void Use(Device& dev, Device* other, void* page) {
    dev.read(0, page, 64); // => | ZDIO002
    other->write(4096, page, 4096); // => | ZDIO004
    dev.write(131072, page, 131072);
}
`;
  const r = await analyzeText(text, 'cpp', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  const read = r.findings.find((f) => f.ruleId === 'ZDIO002');
  assert.match(read?.message ?? '', /via read\(\)/);
});

test('cpp: a plain read() or ::read() call is the C library one, not a call of a member named read', async () => {
  const text = `${DEVICE}void Plain(const char* p, void* page) {
    int fd = ::open(p, O_RDONLY);
    read(fd, page, 100);
    ::read(fd, page, 100);
}
`;
  const r = await analyzeText(text, 'cpp', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), []);
});

// C++: a class whose descriptor member is initialized from a constructor parameter holds an O_DIRECT
// descriptor when the class is built in place with one (`return dma_file(fd, …);`, `File f(fd);`),
// as with `new` and `make_unique` (Seastar's open_file_dma()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

test('cpp: a member descriptor from a constructor parameter is O_DIRECT when the class is returned or declared with an O_DIRECT descriptor', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
class DmaFile {
public:
    DmaFile(int fd, size_t align) : fd_(fd), align_(align) {}
    ssize_t Write(const void* b, size_t n, off_t off) { return ::pwrite(fd_, b, n, off); } // => o_direct_io ::pwrite
private:
    int fd_;
    size_t align_;
};
class LogFile {
public:
    explicit LogFile(int fd) : log_fd_(fd) {}
    ssize_t Append(const void* b, size_t n) { return ::write(log_fd_, b, n); } // => o_direct_io ::write
private:
    int log_fd_;
};
DmaFile OpenDma(const char* p) {
    int fd = ::open(p, O_RDWR | O_DIRECT); // => o_direct_open ::open
    return DmaFile(fd, 4096);
}
void Log(const char* p, const void* b) {
    int fd = ::open(p, O_WRONLY | O_DIRECT | O_APPEND); // => o_direct_open ::open
    LogFile log(fd);
    log.Append(b, 4096);
}
`;
  const r = await analyzeText(text, 'cpp', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('cpp', text)), expected.sites);
  assert.deepEqual(findingKeys(r), expected.findings);
});

test('cpp: a class built in place only with plain descriptors holds none', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
class PlainFile {
public:
    PlainFile(int fd) : fd_(fd) {}
    ssize_t Write(const void* b, size_t n) { return ::pwrite(fd_, b, n, 0); }
private:
    int fd_;
};
PlainFile OpenPlain(const char* p) {
    int fd = ::open(p, O_RDWR);
    return PlainFile(fd);
}
int Other(const char* p) {
    int fd = ::open(p, O_RDWR | O_DIRECT); // => o_direct_open ::open
    PlainFile f(0);
    return fd;
}
`;
  const r = await analyzeText(text, 'cpp', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('cpp', text)), expected.sites);
  assert.deepEqual(findingKeys(r), expected.findings);
});

test('cpp: a handle object built on the heap with an O_DIRECT descriptor gives it to code that reads the member through the object', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
#include <memory>
class FileHandle {
public:
    explicit FileHandle(int fd) : fd(fd) {}
    int fd;
};
std::unique_ptr<FileHandle> OpenFile(const char* p, int flags) {
    int open_flags = O_RDWR;
    if (flags & 4) open_flags |= O_DIRECT;
    int fd = ::open(p, open_flags); // => o_direct_open ::open
    return std::make_unique<FileHandle>(fd);
}
void Write(FileHandle& handle, const void* b, size_t n, off_t off) {
    ::pwrite(handle.fd, b, n, off); // => o_direct_io ::pwrite
}
void Read(FileHandle* handle, void* b, size_t n, off_t off) {
    ::pread(handle->fd, b, n, off); // => o_direct_io ::pread
}
`;
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('cpp', text)), expected.sites);
});

test('cpp: a member read through an object is not O_DIRECT when another class keeps a plain or unknown descriptor under that name', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
#include <memory>
class DirectHandle {
public:
    explicit DirectHandle(int fd) : fd(fd) {}
    int fd;
};
class LogHandle {
public:
    explicit LogHandle(int fd) : fd(fd) {}
    ssize_t Put(const void* b, size_t n) { return ::write(fd, b, n); }
    int fd;
};
std::unique_ptr<DirectHandle> OpenDirect(const char* p) {
    int fd = ::open(p, O_RDWR | O_DIRECT); // => o_direct_open ::open
    return std::make_unique<DirectHandle>(fd);
}
std::unique_ptr<LogHandle> OpenLog(int fd) {
    return std::make_unique<LogHandle>(fd);
}
void Append(LogHandle& log, const void* b, size_t n) {
    ::write(log.fd, b, n);
}
class UnknownHandle {
public:
    explicit UnknownHandle(int d) : desc(d) {}
    int desc;
};
UnknownHandle* Wrap(int d) { return new UnknownHandle(d); }
void Put(UnknownHandle* h, const void* b, size_t n) {
    ::write(h->desc, b, n);
}
`;
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('cpp', text)), expected.sites);
});

test('cpp: a member opened with O_DIRECT and, only when that fails, opened again without it holds an O_DIRECT descriptor', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
class DirectFile {
public:
    DirectFile(const char* p, int flags) {
        fd = ::open(p, flags | O_DIRECT, 0644); // => o_direct_open ::open
        if (fd < 0)
            fd = ::open(p, flags, 0644);
    }
    ssize_t Write(const void* b, size_t n, off_t off) { return ::pwrite(fd, b, n, off); } // => o_direct_io ::pwrite
private:
    int fd;
};
`;
  assert.deepEqual(siteKeys(await extractFacts('cpp', text)), expectationsOf(text).sites);
});

test('cpp: a member also opened plainly on another condition, or after a successful open, is not known to be O_DIRECT', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
class Twice {
public:
    Twice(const char* p, int flags, bool direct) {
        fd = ::open(p, flags | O_DIRECT, 0644); // => o_direct_open ::open
        if (!direct)
            fd = ::open(p, flags, 0644);
    }
    ssize_t Write(const void* b, size_t n, off_t off) { return ::pwrite(fd, b, n, off); }
private:
    int fd;
};
class Reopen {
public:
    Reopen(const char* p, int flags) {
        log = ::open(p, flags | O_DIRECT, 0644); // => o_direct_open ::open
        if (log >= 0)
            log = ::open(p, flags, 0644);
    }
    ssize_t Put(const void* b, size_t n) { return ::write(log, b, n); }
private:
    int log;
};
`;
  assert.deepEqual(siteKeys(await extractFacts('cpp', text)), expectationsOf(text).sites);
});

// C++: a descriptor member that the constructor sets from its parameter (in the initializer list or in
// its body) holds an O_DIRECT descriptor when every construction of the class in the file passes one:
// the member functions' I/O on it, the I/O of another class through an accessor (`disk_.fd()`), and a
// free helper handed the member are O_DIRECT sites. A construction with a buffered or an unknown
// descriptor leaves the member unknown (no site, no finding).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

async function check(text: string): Promise<void> {
  const r = await analyzeText(text, 'cpp', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('cpp', text)), expected.sites);
  assert.deepEqual(findingKeys(r), expected.findings);
}

test('cpp: a member set from the constructor parameter of a namespaced class declared with an O_DIRECT descriptor is O_DIRECT, also through an accessor and a helper', async () => {
  await check(`#include <fcntl.h>
#include <unistd.h>
namespace store {
int open_dev(const char* p) { return ::open(p, O_RDWR | O_DIRECT); } // => o_direct_open ::open
int read_at(int fd, void* b, size_t n, off_t off) { return ::pread(fd, b, n, off); } // => o_direct_io ::pread
class Disk {
public:
    Disk(const char* name, int fd) : name_(name) { fd_ = fd; }
    int fd() const { return fd_; }
    ssize_t Label(const void* b) { return ::pwrite(fd_, b, 131072, 0); } // => o_direct_io ::pwrite
    int Block(void* b, off_t off) { return read_at(fd_, b, 4096, off); }
private:
    const char* name_;
    int fd_;
};
class Volume {
public:
    explicit Volume(Disk& d) : disk_(d) {}
    ssize_t Read(void* b, size_t n) { return ::pread(disk_.fd(), b, n, 0); } // => o_direct_io ::pread
private:
    Disk& disk_;
};
}  // namespace store
int main(int argc, char** argv) {
    int fd = store::open_dev(argv[1]);
    store::Disk disk(argv[1], fd);
    store::Volume vol(disk);
    return 0;
}
`);
});

test('cpp: a member set from a constructor parameter is not O_DIRECT when one construction passes a buffered descriptor', async () => {
  await check(`#include <fcntl.h>
#include <unistd.h>
class Log {
public:
    explicit Log(int fd) : fd_(fd) {}
    int fd() const { return fd_; }
    ssize_t Append(const void* b, size_t n) { return ::write(fd_, b, n); }
private:
    int fd_;
};
ssize_t Flush(Log& log, const void* b) { return ::pwrite(log.fd(), b, 100, 3); }
int main(int argc, char** argv) {
    int direct = ::open(argv[1], O_WRONLY | O_DIRECT); // => o_direct_open ::open
    int plain = ::open(argv[2], O_WRONLY);
    Log fast(direct);
    Log slow(plain);
    fast.Append("x", 1);
    return Flush(slow, "y") < 0;
}
`);
});

test('cpp: a class constructed only with a buffered descriptor, or with one the file does not know, holds no O_DIRECT descriptor', async () => {
  await check(`#include <fcntl.h>
#include <unistd.h>
int acquire(const char* p);
class Plain {
public:
    Plain(const char* p, int fd) : path_(p), fd_(fd) {}
    ssize_t Put(const void* b) { return ::pwrite(fd_, b, 100, 3); }
private:
    const char* path_;
    int fd_;
};
class Borrowed {
public:
    explicit Borrowed(int fd) { fd_ = fd; }
    ssize_t Put(const void* b) { return ::pwrite(fd_, b, 100, 3); }
private:
    int fd_;
};
int main(int argc, char** argv) {
    int direct = ::open(argv[1], O_RDONLY | O_DIRECT); // => o_direct_open ::open
    int plain = ::open(argv[2], O_WRONLY | O_CREAT, 0644);
    Plain out(argv[2], plain);
    Borrowed other(acquire(argv[3]));
    out.Put("x");
    other.Put("y");
    return ::close(direct);
}
`);
});

// C++: a data member that the class's one constructor initializes from a parameter (`: size_(n)`)
// and that nothing else writes is, in the member functions, each construction's argument
// (ClickHouse's ReadBufferFromFile with its buffer size, built by a factory in a namespace).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

test('cpp: a member set from a constructor parameter takes the value of each make_unique, new or in-place construction', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
#include <memory>
namespace io {
class Reader {
public:
    Reader(int fd, size_t n) : fd_(fd), size_(n) {}
    ssize_t Next(void* b) { return ::pread(fd_, b, size_, 0); }
private:
    int fd_;
    size_t size_;
};
std::unique_ptr<Reader> Make(int fd, size_t n) { return std::make_unique<Reader>(fd, n); }
}  // namespace io
void Run(const char* p, void* page) {
    int fd = ::open(p, O_RDONLY | O_DIRECT);
    auto a = io::Make(fd, 24000); // => | ZDIO002
    a->Next(page);
    io::Reader* b = new io::Reader(fd, 1000); // => | ZDIO002
    b->Next(page);
    io::Reader(fd, 131072).Next(page);
}
`;
  const r = await analyzeText(text, 'cpp', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('cpp: a member also written by a member function, or a class with two constructors, keeps no construction value', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
#include <memory>
class Resized {
public:
    Resized(int fd, size_t n) : fd_(fd), size_(n) {}
    void Grow() { size_ *= 2; }
    ssize_t Next(void* b) { return ::pread(fd_, b, size_, 0); }
private:
    int fd_;
    size_t size_;
};
class TwoWays {
public:
    TwoWays(int fd, size_t n) : fd_(fd), size_(n) {}
    explicit TwoWays(int fd) : fd_(fd), size_(4096) {}
    ssize_t Next(void* b) { return ::pread(fd_, b, size_, 0); }
private:
    int fd_;
    size_t size_;
};
void Run(const char* p, void* page) {
    int fd = ::open(p, O_RDONLY | O_DIRECT);
    auto a = std::make_unique<Resized>(fd, 24000);
    a->Next(page);
    auto b = std::make_unique<TwoWays>(fd, 1000);
    b->Next(page);
}
`;
  const r = await analyzeText(text, 'cpp', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('cpp: a member set by a statement of the constructor\'s body takes each construction\'s argument; one set under a condition or twice does not', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
#include <memory>
class Reader {
public:
    Reader(int fd, size_t n) : fd_(fd) { size_ = n; }
    ssize_t Next(void* b) { return ::pread(fd_, b, size_, 0); }
private:
    int fd_;
    size_t size_;
};
class Maybe {
public:
    Maybe(int fd, size_t n) : fd_(fd) { if (n) size_ = n; }
    ssize_t Next(void* b) { return ::pread(fd_, b, size_, 0); }
private:
    int fd_;
    size_t size_ = 4096;
};
class Twice {
public:
    Twice(int fd, size_t n) : fd_(fd) { this->size_ = n; this->size_ = 4096; }
    ssize_t Next(void* b) { return ::pread(fd_, b, size_, 0); }
private:
    int fd_;
    size_t size_;
};
void Run(const char* p, void* page) {
    int fd = ::open(p, O_RDONLY | O_DIRECT);
    auto a = std::make_unique<Reader>(fd, 24000); // => | ZDIO002
    a->Next(page);
    auto b = std::make_unique<Maybe>(fd, 1000);
    b->Next(page);
    auto c = std::make_unique<Twice>(fd, 1000);
    c->Next(page);
}
`;
  const r = await analyzeText(text, 'cpp', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

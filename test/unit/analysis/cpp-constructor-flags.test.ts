// C++: open flags that a constructor receives as a parameter come from its constructions, `new C(…)`
// and `std::make_unique<C>(…)` included (ClickHouse's ReadBufferFromFile, given O_DIRECT by
// createReadBufferFromFileBase when the file is large).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { expectationsOf, extractFacts, siteKeys } from './rust-go-python-helpers';

test('cpp: a constructor that opens with the flags make_unique or new hands it is an O_DIRECT open when one of them passes O_DIRECT', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
#include <memory>
class Reader {
public:
    explicit Reader(const char* p, int flags = -1) {
        fd_ = ::open(p, flags == -1 ? O_RDONLY : flags); // => o_direct_open ::open
    }
    ssize_t Next(void* b) { return ::pread(fd_, b, 4096, 0); } // => o_direct_io ::pread
private:
    int fd_;
};
class Writer {
public:
    Writer(const char* p, int flags) { fd_ = ::open(p, flags | O_CREAT, 0644); } // => o_direct_open ::open
private:
    int fd_;
};
std::unique_ptr<Reader> Make(const char* p, bool big) {
    if (big) return std::make_unique<Reader>(p, O_RDONLY | O_DIRECT);
    return std::make_unique<Reader>(p);
}
Writer* MakeWriter(const char* p) { return new Writer(p, O_WRONLY | O_DIRECT); }
`;
  const r = await analyzeText(text, 'cpp', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(siteKeys(await extractFacts('cpp', text)), expectationsOf(text).sites);
});

test('cpp: a constructor whose constructions pass only buffered flags opens no O_DIRECT descriptor', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
#include <memory>
class Reader {
public:
    Reader(const char* p, int flags) { fd_ = ::open(p, flags); }
    ssize_t Next(void* b) { return ::pread(fd_, b, 100, 0); }
private:
    int fd_;
};
int Direct(const char* p) { return ::open(p, O_RDONLY | O_DIRECT); } // => o_direct_open ::open
std::unique_ptr<Reader> Make(const char* p) { return std::make_unique<Reader>(p, O_RDONLY | O_CLOEXEC); }
Reader* MakeRaw(const char* p) { return new Reader(p, O_RDONLY); }
`;
  const r = await analyzeText(text, 'cpp', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(siteKeys(await extractFacts('cpp', text)), expectationsOf(text).sites);
});

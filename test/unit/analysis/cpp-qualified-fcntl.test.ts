// C++: fcntl called as ::fcntl (the global namespace spelled out, as C++ code does for POSIX calls)
// clears or sets O_DIRECT on a descriptor just as fcntl does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

test('cpp: ::fcntl(fd, F_SETFL, flags & ~O_DIRECT) before a tail write leaves that write buffered', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
class TailWriter {
public:
    TailWriter() { fd_ = ::open("out", O_RDWR | O_CREAT | O_DIRECT, 0644); } // => o_direct_open ::open
    void Block(const void* b) { ::pwrite(fd_, b, 1000, 0); } // => o_direct_io ::pwrite | ZDIO002
    void Tail(const void* b) {
        int flags = ::fcntl(fd_, F_GETFL);
        ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT);
        ::pwrite(fd_, b, 1000, 4096);
    }
private:
    int fd_;
};
void local_tail(const void* b) {
    int fd = ::open("out", O_RDWR);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_DIRECT); // => o_direct_open ::fcntl
    ::pwrite(fd, b, 1000, 0); // => o_direct_io ::pwrite | ZDIO002
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_DIRECT);
    ::pwrite(fd, b, 1000, 0);
}
`;
  const r = await analyzeText(text, 'cpp', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(text);
  assert.deepEqual(findingKeys(r), expected.findings);
  assert.deepEqual(siteKeys(await extractFacts('cpp', text)), expected.sites);
});

// C++: a member whose initializer reads the constructor's parameters (`skip_(ROUND_UP(skip < BLOCK ?
// BLOCK : skip))`) has the value every construction of the class in the file gives it, and an accessor
// that returns a member (`off_t skip() const { return skip_; }`) has the member's value as a length or
// an offset. Constructions that disagree, or one the only constructor cannot be (a copy), leave it unknown.
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

const HEADER = `#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#define BLOCK 8192
#define ROUND_UP(x) (((x) + (BLOCK - 1)) & ~(off_t)(BLOCK - 1))
class Header {
public:
    Header(int fd, off_t skip) : fd_(fd), skip_(ROUND_UP(skip < BLOCK ? BLOCK : skip)), len_(BLOCK) {}
    off_t skip() const { return skip_; }
    size_t len() const { return len_; }
    ssize_t Write(const void* b) { return ::pwrite(fd_, b, len(), skip()); } // => o_direct_io ::pwrite`;

test('cpp: a member computed from the one construction\'s argument, read through accessors, is the length and offset of the write', async () => {
  await check(`${HEADER} | ZDIO004
private:
    int fd_;
    off_t skip_;
    size_t len_;
};
int main(int argc, char** argv) {
    int fd = ::open(argv[1], O_RDWR | O_DIRECT); // => o_direct_open ::open
    void* page = nullptr;
    if (::posix_memalign(&page, 4096, BLOCK) != 0)
        return 1;
    Header h(fd, 100);
    return h.Write(page) < 0;
}
`);
});

test('cpp: two constructions that give a member different values, or a copy of the object, leave it unknown', async () => {
  const members = `
private:
    int fd_;
    off_t skip_;
    size_t len_;
};`;
  await check(`${HEADER}${members}
int main(int argc, char** argv) {
    int fd = ::open(argv[1], O_RDWR | O_DIRECT); // => o_direct_open ::open
    void* page = nullptr;
    if (::posix_memalign(&page, 4096, BLOCK) != 0)
        return 1;
    Header first(fd, 100);
    Header second(fd, 20000);
    return first.Write(page) < 0 || second.Write(page) < 0;
}
`);
  await check(`${HEADER}${members}
int main(int argc, char** argv) {
    int fd = ::open(argv[1], O_RDWR | O_DIRECT); // => o_direct_open ::open
    void* page = nullptr;
    if (::posix_memalign(&page, 4096, BLOCK) != 0)
        return 1;
    Header first(fd, 100);
    Header again(first);
    return again.Write(page) < 0;
}
`);
});

test('c: a conditional whose condition is known takes its arm, and a macro casting to off_t keeps its value', async () => {
  const text = `#include <fcntl.h>
#include <unistd.h>
#define STEP 4096
#define FLOOR(x) ((x) & ~(off_t)(STEP - 1))
void put(const char* p, const void* b) {
    int fd = open(p, O_WRONLY | O_DIRECT); // => o_direct_open open
    pwrite(fd, b, 100 > STEP ? 100 : STEP, FLOOR(5000) + 512); // => o_direct_io pwrite | ZDIO003
    pwrite(fd, b, 100 < STEP && STEP > 0 ? 100 : STEP, 0); // => o_direct_io pwrite | ZDIO002
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('c', text)), expected.sites);
  assert.deepEqual(findingKeys(r), expected.findings);
});

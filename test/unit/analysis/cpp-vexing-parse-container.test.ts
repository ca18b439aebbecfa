// C++: `std::vector<char> check(kAlignment);` in a function body is read by the grammar as the
// declaration of a function taking a `kAlignment`. When every such "parameter" names a value the file
// knows (a constant, a local, a macro), it cannot be a function: it is a vector, whose data() is heap
// memory with no page alignment. A name the file does not know as a value may be a type, and stays unknown.
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
#include <unistd.h>
#include <vector>
constexpr size_t kAlignment = 4096;
class File {
public:
    explicit File(const char* p) { fd_ = ::open(p, O_RDWR | O_DIRECT); } // => o_direct_open ::open
    size_t Pread(void* dst, size_t count, off_t offset) const { return ::pread(fd_, dst, count, offset); } // => o_direct_io ::pread
private:
    int fd_;
};`;

test('cpp: a vector declared with a constant as its size (parsed as a function declaration) is an unaligned buffer, directly and through a member helper', async () => {
  await check(`${HEADER}
int main() {
    File out("x");
    std::vector<char> check(kAlignment);
    out.Pread(check.data(), check.size(), 0); // => | ZDIO001
    const size_t n = kAlignment;
    std::vector<char> local(n);
    out.Pread(local.data(), n, 0); // => | ZDIO001
    return 0;
}
`);
});

test('cpp: a vexing declaration whose parameter may be a type, or a container with an allocator, stays unknown', async () => {
  await check(`${HEADER}
struct Extent {};
int main() {
    File out("x");
    std::vector<char> check(Extent);
    out.Pread(check.data(), kAlignment, 0);
    std::vector<char, PageAllocator> pages(kAlignment);
    out.Pread(pages.data(), kAlignment, 0);
    return 0;
}
`);
});

// C++: a buffer factory of the file called by its namespace or with template arguments
// (`dma::allocate_aligned_buffer<char>(n, align)`) that returns a smart pointer built around what
// posix_memalign gave (`std::unique_ptr<T[], free_deleter>(static_cast<T*>(p))`) gives `.get()` the
// alignment of the call's argument. A function of another namespace with that name, or a smart pointer
// around something the analysis does not know, stays unknown.
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

const factory = (ret: string): string => `#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <memory>
namespace dma {
struct free_deleter { void operator()(void* p) const { ::free(p); } };
template <typename T>
std::unique_ptr<T[], free_deleter> allocate_aligned_buffer(size_t size, size_t align) {
    void* p = nullptr;
    if (::posix_memalign(&p, align, size * sizeof(T)) != 0)
        throw 1;
    ${ret}
}
}  // namespace dma
`;

test('cpp: a namespaced template factory returning a unique_ptr around posix_memalign\'s pointer is aligned to the call\'s argument', async () => {
  await check(`${factory('return std::unique_ptr<T[], free_deleter>(static_cast<T*>(p));')}
int main(int argc, char** argv) {
    int fd = ::open(argv[1], O_RDWR | O_DIRECT); // => o_direct_open ::open
    auto small = dma::allocate_aligned_buffer<char>(131072, 512);
    ::pwrite(fd, small.get(), 131072, 0); // => o_direct_io ::pwrite | ZDIO001
    auto page = dma::allocate_aligned_buffer<char>(131072, 4096);
    ::pwrite(fd, page.get(), 131072, 0); // => o_direct_io ::pwrite
    return 0;
}
`);
});

test('cpp: another namespace\'s function of that name, or a smart pointer around an unknown pointer, stays unknown', async () => {
  await check(`${factory('return std::unique_ptr<T[], free_deleter>(static_cast<T*>(p));')}
int main(int argc, char** argv) {
    int fd = ::open(argv[1], O_RDWR | O_DIRECT); // => o_direct_open ::open
    auto other = seastar::allocate_aligned_buffer<char>(131072, 512);
    ::pwrite(fd, other.get(), 131072, 0); // => o_direct_io ::pwrite
    return 0;
}
`);
  await check(`${factory('return std::unique_ptr<T[], free_deleter>(static_cast<T*>(lookup(p)));')}
int main(int argc, char** argv) {
    int fd = ::open(argv[1], O_RDWR | O_DIRECT); // => o_direct_open ::open
    auto small = dma::allocate_aligned_buffer<char>(131072, 512);
    ::pwrite(fd, small.get(), 131072, 0); // => o_direct_io ::pwrite
    return 0;
}
`);
});

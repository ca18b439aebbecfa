// C++: a copy or move constructor that takes a member from the object it copies (`len_(o.len_)`) gives
// that member no value of its own, so the member keeps the value the class's other constructor gives it
// at every construction. A copy that changes the member, or writes it in its body, leaves it unknown.
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

const program = (copy: string, mark: string): string => `#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
class Disk {
public:
    Disk(int fd, size_t sector) : fd_(fd), sector_(sector) {}
    ${copy}
    size_t sector() const { return sector_; }
    ssize_t put(const char* b, size_t n) { return ::pwrite(fd_, b, n, 0); } // => o_direct_io ::pwrite
private:
    int fd_;
    size_t sector_;
};
Disk open_disk(const char* p) {
    int fd = ::open(p, O_RDWR | O_DIRECT); // => o_direct_open ::open
    return Disk(fd, 512);
}
void label(Disk& d, const char* page) {
    const size_t n = d.sector();
    d.put(page, n); // =>${mark}
}
int main(int argc, char** argv) {
    Disk d = open_disk(argv[1]);
    void* page = nullptr;
    if (::posix_memalign(&page, 4096, 4096) != 0)
        return 1;
    label(d, static_cast<char*>(page));
    return 0;
}
`;

test('cpp: a move or copy constructor that passes the member on keeps the one construction\'s value of it', async () => {
  await check(program('Disk(Disk&& o) noexcept : fd_(o.fd_), sector_(o.sector_) { o.fd_ = -1; }', ' | ZDIO002'));
  await check(program('Disk(const Disk& o) : fd_(::dup(o.fd_)), sector_(o.sector_) {}', ' | ZDIO002'));
});

test('cpp: a copy that changes the member, writes it in its body, or another constructor leaves the member unknown', async () => {
  await check(program('Disk(Disk&& o) noexcept : fd_(o.fd_), sector_(o.sector_ * 8) {}', ''));
  await check(program('Disk(Disk&& o) noexcept : fd_(o.fd_), sector_(o.sector_) { sector_ = 4096; }', ''));
  await check(program('Disk(Disk&& o) noexcept : fd_(o.fd_) {}', ''));
  await check(program('explicit Disk(int fd) : fd_(fd), sector_(4096) {}', ''));
});

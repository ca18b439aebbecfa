// Pattern: a data-recovery copier that opens the input with O_DIRECT when asked (-d), keeps the hardware sector size and the cluster size in a Rescuebook object built from the options, reads through a free readblock() helper that loops over short reads into a page-aligned I/O buffer, copies untried areas a cluster at a time and then retries single sectors, and writes the output through a buffered descriptor (modelled on GNU ddrescue's main.cc with its --idirect option, rescuebook.cc Rescuebook::copy_and_update(), hardbs()/softbs() and the readblock()/writeblock() helpers of io.cc).
// zdio-category: cross-function
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>

namespace {

int readblock(const int fd, uint8_t* const buf, const int size, const long long pos) {
    int sz = 0;
    errno = 0;
    while (sz < size) {
        const int n = ::pread(fd, buf + sz, size - sz, pos + sz); // zdio-expect-site: o_direct_io
        if (n > 0)
            sz += n;
        else if (n == 0)
            break;
        else if (errno != EINTR)
            break;
    }
    return sz;
}

int writeblock(const int fd, const uint8_t* const buf, const int size, const long long pos) {
    int sz = 0;
    errno = 0;
    while (sz < size) {
        const int n = ::pwrite(fd, buf + sz, size - sz, pos + sz); // zdio-expect-none: o_direct_io
        if (n > 0)
            sz += n;
        else if (n < 0 && errno != EINTR)
            break;
    }
    return sz;
}

struct Rescue_options {
    int cluster = 128;
    int sector_size = 512;
    bool idirect = false;
};

class Rescuebook {
public:
    Rescuebook(const Rescue_options& ro, int ides, int odes)
        : ides_(ides), odes_(odes), hardbs_(ro.sector_size), softbs_(ro.cluster * ro.sector_size) {
        const long pagesize = ::sysconf(_SC_PAGESIZE);
        if (::posix_memalign(reinterpret_cast<void**>(&iobuf_), static_cast<size_t>(pagesize), softbs_) != 0)
            iobuf_ = nullptr;
    }
    ~Rescuebook() { ::free(iobuf_); }

    int hardbs() const { return hardbs_; }
    int softbs() const { return softbs_; }
    bool ok() const { return iobuf_ != nullptr; }

    // Copies [pos, pos + size) through the I/O buffer; returns the bytes copied.
    int copy_block(const long long pos, const int size) {
        const int got = readblock(ides_, iobuf_, size, pos);
        if (got > 0 && writeblock(odes_, iobuf_, got, pos) != got)
            return -1;
        return got;
    }

    int copy_non_tried(const long long begin, const long long end) {
        for (long long pos = begin; pos < end; pos += softbs()) {
            if (copy_block(pos, softbs()) < 0)
                return -1;
        }
        return 0;
    }

    // Retries the sector that starts a bad area.
    int retry_sector(const long long pos) { return copy_block(pos, hardbs()); } // zdio-expect: ZDIO002

private:
    int ides_;
    int odes_;
    const int hardbs_;
    const int softbs_;
    uint8_t* iobuf_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
    Rescue_options ro;
    int c;
    while ((c = ::getopt(argc, argv, "d")) != -1) {
        if (c == 'd')
            ro.idirect = true;
        else
            return 2;
    }
    if (optind + 2 != argc) {
        std::fprintf(stderr, "usage: %s [-d] INFILE OUTFILE\n", argv[0]);
        return 2;
    }
    const int ides = ::open(argv[optind], O_RDONLY | (ro.idirect ? O_DIRECT : 0)); // zdio-expect-site: o_direct_open
    const int odes = ::open(argv[optind + 1], O_WRONLY | O_CREAT, 0644); // zdio-expect-none: o_direct_open
    if (ides < 0 || odes < 0)
        return 1;

    Rescuebook rb(ro, ides, odes);
    if (!rb.ok())
        return 1;
    if (rb.copy_non_tried(0, 4LL << 20) < 0) // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        return 1;
    if (rb.retry_sector(1LL << 20) < 0) // zdio-expect-none: ZDIO001, ZDIO003
        return 1;
    if (rb.retry_sector(3 * 512) < 0) // zdio-expect: ZDIO003
        return 1;
    ::close(ides);
    return ::close(odes) == 0 ? 0 : 1;
}

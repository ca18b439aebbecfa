// Pattern: a standard-library copy_file that wraps both descriptors in a small RAII class holding the fd and its stat, copies with a copy_file_range loop over the source size at explicit offsets it owns, falls back to sendfile when the kernel refuses (EXDEV, ENOSYS, EINVAL on empty or pseudo files), and last to a read/write loop (modelled on libc++'s src/filesystem/operations.cpp, FileDescriptor, copy_file_impl_copy_file_range(), copy_file_impl_sendfile() and copy_file_impl_fstream()).
// zdio-category: cross-function
#include <cerrno>
#include <cstdio>
#include <string>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fsimpl {

class FileDescriptor {
public:
    static FileDescriptor create(const std::string& path, int flags, mode_t mode, std::error_code& ec)
    {
        int fd = ::open(path.c_str(), flags, mode);
        if (fd == -1)
            ec = std::error_code(errno, std::generic_category());
        return FileDescriptor(fd);
    }

    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)), st_(other.st_) {}
    ~FileDescriptor() { close(); }

    bool ok() const { return fd_ != -1; }
    int fd() const { return fd_; }
    const struct stat& get_stat() const { return st_; }

    bool refresh_status(std::error_code& ec)
    {
        if (::fstat(fd_, &st_) == -1) {
            ec = std::error_code(errno, std::generic_category());
            return false;
        }
        return true;
    }

    void close()
    {
        if (fd_ != -1)
            ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
    struct stat st_ {};
};

static bool copy_with_copy_file_range(FileDescriptor& in, FileDescriptor& out, std::error_code& ec)
{
    size_t count = static_cast<size_t>(in.get_stat().st_size);
    if (count == 0) {
        // pseudo files report size zero although they have data; let the next method try
        ec = std::error_code(EINVAL, std::generic_category());
        return false;
    }
    // explicit offsets leave the file positions alone, so a later sendfile can start from zero
    off_t off_in = 0;
    off_t off_out = 0;
    do {
        ssize_t res = ::copy_file_range(in.fd(), &off_in, out.fd(), &off_out, count, 0); // zdio-expect-site: copy_file_range, zdio-expect-none: ZDIO010, ZDIO011, ZDIO012
        if (res == -1) {
            ec = std::error_code(errno, std::generic_category());
            return false;
        }
        if (res == 0)
            break;
        count -= static_cast<size_t>(res);
    } while (count > 0);
    ec.clear();
    return true;
}

static bool copy_with_sendfile(FileDescriptor& in, FileDescriptor& out, std::error_code& ec)
{
    size_t count = static_cast<size_t>(in.get_stat().st_size);
    do {
        ssize_t res = ::sendfile(out.fd(), in.fd(), nullptr, count); // zdio-expect-none: copy_file_range
        if (res == -1) {
            ec = std::error_code(errno, std::generic_category());
            return false;
        }
        if (res == 0)
            break;
        count -= static_cast<size_t>(res);
    } while (count > 0);
    ec.clear();
    return true;
}

static bool copy_with_read_write(FileDescriptor& in, FileDescriptor& out, std::error_code& ec)
{
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(in.fd(), buf, sizeof(buf)); // zdio-expect-none: o_direct_io, ZDIO001, ZDIO002
        if (n == 0)
            break;
        if (n < 0 || ::write(out.fd(), buf, static_cast<size_t>(n)) != n) { // zdio-expect-none: o_direct_io, ZDIO001
            ec = std::error_code(errno, std::generic_category());
            return false;
        }
    }
    ec.clear();
    return true;
}

bool copy_file(const std::string& from, const std::string& to, bool overwrite, std::error_code& ec)
{
    FileDescriptor in = FileDescriptor::create(from, O_RDONLY | O_CLOEXEC, 0, ec);
    if (!in.ok() || !in.refresh_status(ec))
        return false;
    int out_flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
    FileDescriptor out = FileDescriptor::create(to, out_flags, in.get_stat().st_mode, ec);
    if (!out.ok())
        return false;

    if (copy_with_copy_file_range(in, out, ec))
        return true;
    if (ec.value() != EXDEV && ec.value() != ENOSYS && ec.value() != EINVAL && ec.value() != EOPNOTSUPP)
        return false;
    if (copy_with_sendfile(in, out, ec))
        return true;
    if (ec.value() != EINVAL && ec.value() != ENOSYS)
        return false;
    if (::lseek(in.fd(), 0, SEEK_SET) == -1 || ::lseek(out.fd(), 0, SEEK_SET) == -1)
        return false;
    return copy_with_read_write(in, out, ec);
}

} // namespace fsimpl

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s FROM TO\n", argv[0]);
        return 2;
    }
    std::error_code ec;
    if (!fsimpl::copy_file(argv[1], argv[2], true, ec)) {
        std::fprintf(stderr, "copy_file: %s\n", ec.message().c_str());
        return 1;
    }
    return 0;
}

// The descriptor is a member opened with O_DIRECT; a method writes through it. Built with g++ -g -O0.
#include <fcntl.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <string>

class DirectFile {
public:
    explicit DirectFile(const std::string &path) : fd_(::open(path.c_str(), O_CREAT | O_RDWR | O_TRUNC | O_DIRECT, 0644)) {}
    ~DirectFile() { if (fd_ >= 0) ::close(fd_); }
    bool ok() const { return fd_ >= 0; }
    ssize_t append(const char *data, size_t n) { return ::write(fd_, data, n); } // expect: ZDIO002
private:
    int fd_;
};

int main(int argc, char **argv) {
    DirectFile f(argc > 1 ? argv[1] : "member io.dat");
    if (!f.ok()) { std::perror("open"); return 2; }
    void *raw = nullptr;
    if (posix_memalign(&raw, 4096, 8192) != 0) return 2;
    char *block = static_cast<char *>(raw);
    if (f.append(block, 4096) < 0) std::perror("aligned");
    if (f.append(block, 100) < 0) std::perror("record of 100 bytes");
    std::free(raw);
    return 0;
}

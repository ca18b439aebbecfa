// Pattern: a batched read that queues one io_uring readv per request, each into a std::vector scratch buffer, on a file opened with O_DIRECT (modelled on C++ engines that prepare one io_uring_prep_readv per request, e.g. Microsoft FASTER's UringIoHandler, with RocksDB's use_direct_reads open).
// zdio-category: async-io
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <liburing.h>
#include <sys/uio.h>
#include <unistd.h>
#include <vector>

struct ReadRequest {
  off_t offset;
  std::size_t len;
  std::vector<char> scratch;
  struct iovec iov;
  int result = 0;
};

class UringFile {
 public:
  explicit UringFile(const char *path) : fd_(::open(path, O_RDONLY | O_DIRECT)) { // zdio-expect-site: o_direct_open
    if (io_uring_queue_init(256, &ring_, 0) != 0) ready_ = false;
  }
  ~UringFile() {
    if (ready_) io_uring_queue_exit(&ring_);
    if (fd_ >= 0) ::close(fd_);
  }

  int MultiRead(std::vector<ReadRequest> &reqs) {
    for (auto &r : reqs) {
      r.scratch.resize(r.len);
      r.iov.iov_base = r.scratch.data();
      r.iov.iov_len = r.len;
      struct io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
      if (!sqe) return -EBUSY;
      io_uring_prep_readv(sqe, fd_, &r.iov, 1, r.offset); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
      io_uring_sqe_set_data(sqe, &r);
    }
    int ret = io_uring_submit_and_wait(&ring_, static_cast<unsigned>(reqs.size()));
    if (ret < 0) return ret;
    for (std::size_t done = 0; done < reqs.size(); ++done) {
      struct io_uring_cqe *cqe;
      if (io_uring_wait_cqe(&ring_, &cqe) != 0) return -EIO;
      static_cast<ReadRequest *>(io_uring_cqe_get_data(cqe))->result = cqe->res;
      io_uring_cqe_seen(&ring_, cqe);
    }
    return 0;
  }

  int ReadIndexBlock(std::vector<char> &out) {
    out.resize(4096);
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
    if (!sqe) return -EBUSY;
    io_uring_prep_read(sqe, fd_, out.data(), 4096, 0); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
    return io_uring_submit_and_wait(&ring_, 1);
  }

 private:
  int fd_;
  bool ready_ = true;
  struct io_uring ring_;
};

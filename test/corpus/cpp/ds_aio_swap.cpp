// Pattern: an NVMe tensor-swapping library whose files are opened with O_DIRECT by one helper, whose transfers are described by an io_xfer_ctxt object (descriptor, file offset, byte count, buffer) and cut into block-size iocbs by a generator object that prepares io_prep_pread()/io_prep_pwrite() per block, the last one shortened to the bytes that remain, with page-aligned tensors from posix_memalign(); a benchmark driver swaps a padded and an unpadded tensor out and back in (modelled on DeepSpeed's csrc/aio/common/deepspeed_aio_utils.cpp, io_xfer_ctxt, io_prep_generator::prep_iocbs() and ds_page_aligned_alloc(), and deepspeed_aio_common.cpp's open_file() and do_aio_operation_sequential()).
// zdio-category: cross-function
#include <fcntl.h>
#include <libaio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <vector>

struct deepspeed_aio_config_t {
    const int _block_size;
    const int _queue_depth;
    deepspeed_aio_config_t(int block_size, int queue_depth)
        : _block_size(block_size), _queue_depth(queue_depth)
    {
    }
};

struct io_xfer_ctxt {
    const int _fd;
    const long long int _base_offset;
    const void* _mem_buffer;
    const long long int _num_bytes;

    io_xfer_ctxt(int fd, long long int file_offset, long long int num_bytes, const void* buffer)
        : _fd(fd), _base_offset(file_offset), _mem_buffer(buffer), _num_bytes(num_bytes)
    {
    }
};

class io_prep_generator {
public:
    io_prep_generator(bool read_op, const std::unique_ptr<io_xfer_ctxt>& xfer_ctxt, size_t block_size)
        : _read_op(read_op),
          _xfer_ctxt(xfer_ctxt),
          _block_size(block_size),
          _remaining_bytes(xfer_ctxt->_num_bytes),
          _next_iocb_index(0)
    {
        _remaining_io_blocks =
            static_cast<long long int>(std::ceil(static_cast<double>(xfer_ctxt->_num_bytes) / block_size));
    }

    int prep_iocbs(int n_iocbs, std::vector<struct iocb*>* iocbs)
    {
        if (_remaining_bytes == 0 || _remaining_io_blocks == 0) return 0;
        auto actual = std::min(static_cast<long long int>(n_iocbs), _remaining_io_blocks);
        for (auto i = 0; i < actual; ++i, ++_next_iocb_index) {
            const auto xfer_offset = _xfer_ctxt->_base_offset + (_next_iocb_index * (long long int)_block_size);
            const auto xfer_buffer = (char*)_xfer_ctxt->_mem_buffer + xfer_offset;
            const auto num_bytes = std::min(static_cast<long long int>(_block_size), _remaining_bytes);
            if (_read_op) {
                io_prep_pread(iocbs->at(i), _xfer_ctxt->_fd, xfer_buffer, num_bytes, xfer_offset); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO003
            } else {
                io_prep_pwrite(iocbs->at(i), _xfer_ctxt->_fd, xfer_buffer, num_bytes, xfer_offset); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO003
            }
            _remaining_bytes -= num_bytes;
        }
        _remaining_io_blocks -= actual;
        return static_cast<int>(actual);
    }

private:
    const bool _read_op;
    const std::unique_ptr<io_xfer_ctxt>& _xfer_ctxt;
    const size_t _block_size;
    long long int _remaining_bytes;
    long long int _remaining_io_blocks;
    long long int _next_iocb_index;
};

static int open_file(const char* filename, bool read_op)
{
    const int flags = read_op ? (O_RDONLY | O_DIRECT) : (O_WRONLY | O_CREAT | O_DIRECT);
    const int mode = 0600;
    const int fd = open(filename, flags, mode); // zdio-expect-site: o_direct_open
    if (fd == -1) {
        std::cerr << "open " << filename << " failed: " << std::strerror(errno) << std::endl;
        return -1;
    }
    return fd;
}

static void* ds_page_aligned_alloc(long long int size)
{
    void* ptr = nullptr;
    if (posix_memalign(&ptr, (size_t)sysconf(_SC_PAGESIZE), size) != 0) return nullptr;
    return ptr;
}

static int do_aio_operation_sequential(bool read_op,
                                       const std::unique_ptr<io_xfer_ctxt>& xfer_ctxt,
                                       const deepspeed_aio_config_t& config)
{
    io_context_t ctx = 0;
    if (io_setup(config._queue_depth, &ctx) != 0) return -1;

    std::vector<struct iocb> storage(config._queue_depth);
    std::vector<struct iocb*> iocbs(config._queue_depth);
    for (int i = 0; i < config._queue_depth; ++i) iocbs[i] = &storage[i];
    std::vector<struct io_event> events(config._queue_depth);

    io_prep_generator generator(read_op, xfer_ctxt, config._block_size);
    int rc = 0;
    while (true) {
        const int n = generator.prep_iocbs(config._queue_depth, &iocbs);
        if (n == 0) break;
        if (io_submit(ctx, n, iocbs.data()) != n) { rc = -1; break; }
        if (io_getevents(ctx, n, n, events.data(), nullptr) != n) { rc = -1; break; }
    }
    io_destroy(ctx);
    return rc;
}

static int ds_aio_write(const void* buffer, const char* filename, long long int num_bytes,
                        const deepspeed_aio_config_t& config)
{
    const int fd = open_file(filename, false);
    if (fd == -1) return -1;
    std::unique_ptr<io_xfer_ctxt> xfer_ctxt(new io_xfer_ctxt(fd, 0, num_bytes, buffer));
    const int rc = do_aio_operation_sequential(false, xfer_ctxt, config);
    close(fd);
    return rc;
}

static int ds_aio_read(void* buffer, const char* filename, long long int num_bytes,
                       const deepspeed_aio_config_t& config)
{
    const int fd = open_file(filename, true);
    if (fd == -1) return -1;
    std::unique_ptr<io_xfer_ctxt> xfer_ctxt(new io_xfer_ctxt(fd, 0, num_bytes, buffer));
    const int rc = do_aio_operation_sequential(true, xfer_ctxt, config);
    close(fd);
    return rc;
}

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " swap-dir" << std::endl;
        return 2;
    }
    const std::string dir = argv[1];
    const deepspeed_aio_config_t config(1 << 20, 8);

    // optimizer state padded to whole blocks: 64 MiB
    const long long int padded_bytes = 64LL << 20;
    // one fp16 parameter partition of a million elements, not padded
    const long long int partition_bytes = 1000000LL * 2;

    void* state = ds_page_aligned_alloc(padded_bytes);
    void* partition = ds_page_aligned_alloc(partition_bytes);
    if (!state || !partition) return 1;
    std::memset(state, 0, padded_bytes);
    std::memset(partition, 0x3c, partition_bytes);

    const std::string state_file = dir + "/optimizer_state.swp";
    const std::string partition_file = dir + "/param_partition.swp";
    if (ds_aio_write(state, state_file.c_str(), padded_bytes, config) != 0) return 1; // zdio-expect-none: ZDIO002, ZDIO004
    if (ds_aio_write(partition, partition_file.c_str(), partition_bytes, config) != 0) return 1; // zdio-expect: ZDIO002
    if (ds_aio_read(partition, partition_file.c_str(), partition_bytes, config) != 0) return 1; // zdio-expect: ZDIO002
    if (ds_aio_read(state, state_file.c_str(), padded_bytes, config) != 0) return 1; // zdio-expect-none: ZDIO002

    std::cout << "swapped " << (padded_bytes + partition_bytes) << " bytes" << std::endl;
    free(partition);
    free(state);
    return 0;
}

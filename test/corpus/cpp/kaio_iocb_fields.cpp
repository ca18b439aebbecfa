// Pattern: an asynchronous file class that opens with O_DIRECT when the caller asks for an uncached file, and fills each kernel iocb by its fields (aio_lio_opcode, aio_fildes, aio_buf, aio_nbytes, aio_offset) before submitting it through the raw io_submit syscall (modelled on FoundationDB's fdbrpc/AsyncFileKAIO.actor.h, AsyncFileKAIO::open() with OPEN_UNCACHED, its IOBlock and read()/write(), and fdbrpc/linux_kaio.h).
// zdio-category: call-form
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

enum OpenFlags {
	OPEN_READONLY = 0x1,
	OPEN_READWRITE = 0x2,
	OPEN_CREATE = 0x4,
	OPEN_UNCACHED = 0x8,
	OPEN_UNBUFFERED = 0x10,
};

static long kaio_setup(unsigned nr, aio_context_t *ctx) { return syscall(__NR_io_setup, nr, ctx); }
static long kaio_submit(aio_context_t ctx, long n, struct iocb **iocbs) { return syscall(__NR_io_submit, ctx, n, iocbs); }
static long kaio_getevents(aio_context_t ctx, long min, long max, struct io_event *events)
{
	return syscall(__NR_io_getevents, ctx, min, max, events, nullptr);
}

struct IOBlock : iocb {
	explicit IOBlock(int fd)
	{
		memset(static_cast<iocb *>(this), 0, sizeof(iocb));
		aio_fildes = static_cast<uint32_t>(fd);
	}
};

class AsyncFileKAIO {
public:
	static AsyncFileKAIO *open(const std::string &path, int flags)
	{
		int oflags = O_CLOEXEC;
		if (flags & OPEN_READWRITE)
			oflags |= O_RDWR;
		else
			oflags |= O_RDONLY;
		if (flags & OPEN_CREATE)
			oflags |= O_CREAT;
		if (flags & OPEN_UNCACHED)
			oflags |= O_DIRECT;
		int fd = ::open(path.c_str(), oflags, 0600); // zdio-expect-site: o_direct_open
		if (fd < 0) {
			perror(path.c_str());
			return nullptr;
		}
		aio_context_t ctx = 0;
		if (kaio_setup(64, &ctx) < 0) {
			::close(fd);
			return nullptr;
		}
		return new AsyncFileKAIO(fd, ctx);
	}

	long read(void *data, int length, int64_t offset)
	{
		IOBlock *io = new IOBlock(fd);
		io->aio_lio_opcode = IOCB_CMD_PREAD; // zdio-expect-site: o_direct_io
		io->aio_buf = reinterpret_cast<uint64_t>(data);
		io->aio_nbytes = static_cast<uint64_t>(length);
		io->aio_offset = offset;
		return submitOne(io);
	}

	long write(const void *data, int length, int64_t offset)
	{
		IOBlock *io = new IOBlock(fd);
		io->aio_lio_opcode = IOCB_CMD_PWRITE; // zdio-expect-site: o_direct_io
		io->aio_buf = reinterpret_cast<uint64_t>(data);
		io->aio_nbytes = static_cast<uint64_t>(length);
		io->aio_offset = offset;
		return submitOne(io);
	}

	~AsyncFileKAIO() { ::close(fd); }

private:
	AsyncFileKAIO(int fd, aio_context_t ctx) : fd(fd), ctx(ctx) {}

	long submitOne(IOBlock *io)
	{
		struct iocb *list[1] = { io };
		struct io_event ev;
		long r = kaio_submit(ctx, 1, list);
		if (r == 1)
			r = kaio_getevents(ctx, 1, 1, &ev);
		delete io;
		return r == 1 ? static_cast<long>(ev.res) : -errno;
	}

	int fd;
	aio_context_t ctx;
};

static char header[64] = "fdb-kaio-header";

int main()
{
	AsyncFileKAIO *f = AsyncFileKAIO::open("storage-0.sqlite", OPEN_READWRITE | OPEN_CREATE | OPEN_UNCACHED | OPEN_UNBUFFERED);
	if (!f)
		return 1;
	void *page = aligned_alloc(4096, 131072);
	if (!page)
		return 1;
	memset(page, 0, 131072);

	f->write(page, 131072, 0); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004
	f->write(page, 4096, 131072); // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	f->read(page, 4096, 512); // zdio-expect: ZDIO003, zdio-expect-none: ZDIO001, ZDIO002
	f->write(header, sizeof(header), 262144); // zdio-expect: ZDIO001, ZDIO002, zdio-expect-none: ZDIO003
	f->read(page, 131072, 0); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003

	delete f;
	free(page);
	return 0;
}

// Pattern: a DirectFile class that opens with O_DIRECT (falling back to a plain open), writes the page-aligned middle of each request with pwrite from a thread-local aligned_alloc'd buffer, keeps the unaligned head and tail in a map of cached pages and writes those back one page at a time in flush() (modelled on the mad::DirectFile class of madMAx43v3r's DirectFile.h, with its buffer_t, get_page() and flush()).
// zdio-category: cross-function
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace mad {

class DirectFile {
public:
	struct buffer_t {
		uint8_t* data = nullptr;
		~buffer_t() { if (data) ::free(data); }
	};

	DirectFile(const std::string& path, bool read_flag, bool write_flag, bool create_flag = false,
	           int log_page_size = 12, size_t buffer_size = 1024 * 1024)
		: read_flag(read_flag), log_page_size(log_page_size), page_size(1u << log_page_size),
		  align_mask(page_size - 1), buffer_size(buffer_size)
	{
		int flags = write_flag ? O_RDWR : O_RDONLY;
		if (create_flag)
			flags |= O_CREAT;
		fd = ::open(path.c_str(), flags | O_DIRECT, 0644); // zdio-expect-site: o_direct_open
		if (fd < 0)
			fd = ::open(path.c_str(), flags, 0644); // zdio-expect-none: o_direct_open
		else
			direct_flag = true;
		if (fd < 0)
			throw std::runtime_error("open() failed: " + std::string(std::strerror(errno)));
	}

	~DirectFile() { close(); }

	void write(const void* data, size_t length, uint64_t offset, buffer_t& buffer)
	{
		if (!buffer.data)
			buffer.data = static_cast<uint8_t*>(::aligned_alloc(page_size, buffer_size));
		const auto* src = static_cast<const uint8_t*>(data);
		size_t total = 0;
		const uint64_t head = offset & align_mask;
		if (head) {
			const size_t count = std::min<size_t>(page_size - head, length);
			std::lock_guard<std::mutex> lock(mutex);
			std::memcpy(get_page(offset) + head, src, count);
			total += count;
		}
		while (total < length) {
			size_t count = std::min<size_t>(length - total, buffer_size);
			if (count >= page_size) {
				count &= ~size_t(align_mask);
				std::memcpy(buffer.data, src + total, count);
				const uint64_t addr = offset + total;
				if (::pwrite(fd, buffer.data, count, addr) != ssize_t(count)) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
					throw std::runtime_error("pwrite() failed: " + std::string(std::strerror(errno)));
				drop_cached(addr >> log_page_size, (addr + count) >> log_page_size);
			} else {
				std::lock_guard<std::mutex> lock(mutex);
				std::memcpy(get_page(offset + total), src + total, count);
			}
			total += count;
		}
	}

	void flush()
	{
		if (fd < 0)
			return;
		std::lock_guard<std::mutex> lock(mutex);
		for (const auto& entry : cache) {
			if (::pwrite(fd, entry.second, page_size, entry.first * page_size) != ssize_t(page_size)) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
				throw std::runtime_error("pwrite() on flush failed");
			::free(entry.second);
		}
		cache.clear();
		read_flag = true;
	}

	void close()
	{
		if (fd >= 0) {
			flush();
			::close(fd);
			fd = -1;
		}
	}

	bool is_direct() const { return direct_flag; }

private:
	uint8_t* get_page(uint64_t address)
	{
		const uint64_t index = address >> log_page_size;
		auto& page = cache[index];
		if (!page) {
			page = static_cast<uint8_t*>(::aligned_alloc(page_size, page_size));
			if (read_flag) {
				const ssize_t ret = ::pread(fd, page, page_size, index * page_size); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
				std::memset(page + (ret > 0 ? ret : 0), 0, page_size - (ret > 0 ? ret : 0));
			} else {
				std::memset(page, 0, page_size);
			}
		}
		return page;
	}

	void drop_cached(uint64_t begin, uint64_t end)
	{
		std::lock_guard<std::mutex> lock(mutex);
		for (auto it = cache.lower_bound(begin); it != cache.end() && it->first < end;) {
			::free(it->second);
			it = cache.erase(it);
		}
	}

	bool read_flag;
	const int log_page_size;
	const uint32_t page_size;
	const uint32_t align_mask;
	const size_t buffer_size;
	int fd = -1;
	bool direct_flag = false;
	std::mutex mutex;
	std::map<uint64_t, uint8_t*> cache;
};

} // namespace mad

int main(int argc, char** argv)
{
	if (argc < 2)
		return 2;
	mad::DirectFile out(argv[1], false, true, true);
	mad::DirectFile::buffer_t tl;

	const std::vector<uint8_t> header(65536, 0xab);
	out.write(header.data(), header.size(), 0, tl); // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003

	const std::vector<uint8_t> table(2 << 20, 0x11);
	out.write(table.data(), table.size(), 1 << 20, tl); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003, ZDIO004

	const char trailer[100] = "plot-end";
	out.write(trailer, sizeof(trailer), 3 << 20, tl); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	out.close();
	return 0;
}

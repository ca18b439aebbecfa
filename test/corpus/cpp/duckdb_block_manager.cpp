// Pattern: a database file opened through a file-system class that turns a FILE_FLAGS_DIRECT_IO bit into O_DIRECT, with file buffers that over-allocate with malloc and round the pointer up to the sector size by hand, a checksummed 4 KiB main header and two database headers written at 0, 4096 and 8192 when the file is created, and 256 KiB blocks written after the three headers (modelled on DuckDB's src/storage/single_file_block_manager.cpp SingleFileBlockManager, src/common/local_file_system.cpp LocalFileSystem::OpenFile()/Write()/Read() and src/common/file_buffer.cpp FileBuffer with its SECTOR_SIZE rounding).
// zdio-category: cross-function
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace db {

using idx_t = uint64_t;

struct FileFlags {
	static constexpr uint8_t FILE_FLAGS_READ = 1 << 0;
	static constexpr uint8_t FILE_FLAGS_WRITE = 1 << 1;
	static constexpr uint8_t FILE_FLAGS_DIRECT_IO = 1 << 2;
	static constexpr uint8_t FILE_FLAGS_FILE_CREATE = 1 << 3;
};

struct Storage {
	static constexpr idx_t SECTOR_SIZE = 4096;
	static constexpr idx_t FILE_HEADER_SIZE = 4096;
	static constexpr idx_t BLOCK_ALLOC_SIZE = 262144;
	static constexpr idx_t BLOCK_HEADER_SIZE = sizeof(uint64_t);
	static constexpr idx_t BLOCK_START = FILE_HEADER_SIZE * 3;
};

class FileHandle {
public:
	explicit FileHandle(int fd) : fd(fd) {}
	~FileHandle() { ::close(fd); }
	int fd;
};

class LocalFileSystem {
public:
	std::unique_ptr<FileHandle> OpenFile(const std::string &path, uint8_t flags) {
		int open_flags = O_CLOEXEC;
		bool open_read = flags & FileFlags::FILE_FLAGS_READ;
		bool open_write = flags & FileFlags::FILE_FLAGS_WRITE;
		if (open_read && open_write) {
			open_flags |= O_RDWR;
		} else if (open_write) {
			open_flags |= O_WRONLY;
		} else {
			open_flags |= O_RDONLY;
		}
		if (flags & FileFlags::FILE_FLAGS_FILE_CREATE) {
			open_flags |= O_CREAT;
		}
		if (flags & FileFlags::FILE_FLAGS_DIRECT_IO) {
			open_flags |= O_DIRECT;
		}
		int fd = ::open(path.c_str(), open_flags, 0666); // zdio-expect-site: o_direct_open
		if (fd == -1) {
			throw std::runtime_error("cannot open file \"" + path + "\"");
		}
		return std::make_unique<FileHandle>(fd);
	}

	void Write(FileHandle &handle, void *buffer, int64_t nr_bytes, idx_t location) {
		int64_t written = ::pwrite(handle.fd, buffer, nr_bytes, location); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		if (written != nr_bytes) {
			throw std::runtime_error("could not write all bytes to file");
		}
	}

	void Read(FileHandle &handle, void *buffer, int64_t nr_bytes, idx_t location) {
		int64_t bytes_read = ::pread(handle.fd, buffer, nr_bytes, location); // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		if (bytes_read != nr_bytes) {
			throw std::runtime_error("could not read all bytes from file");
		}
	}
};

static uint64_t Checksum(const uint8_t *data, idx_t size) {
	uint64_t result = 5381;
	for (idx_t i = 0; i < size; i++) {
		result = result * 33 + data[i];
	}
	return result;
}

class FileBuffer {
public:
	explicit FileBuffer(idx_t bufsiz) {
		// Over-allocate and round the start up to the sector size, so that the
		// buffer can be handed to an O_DIRECT read or write.
		malloced_size = bufsiz + Storage::SECTOR_SIZE - 1;
		malloced_buffer = static_cast<uint8_t *>(std::malloc(malloced_size));
		if (!malloced_buffer) {
			throw std::bad_alloc();
		}
		internal_buffer = reinterpret_cast<uint8_t *>(
		    (reinterpret_cast<uintptr_t>(malloced_buffer) + Storage::SECTOR_SIZE - 1) & ~(Storage::SECTOR_SIZE - 1));
		internal_size = bufsiz;
		buffer = internal_buffer + Storage::BLOCK_HEADER_SIZE;
		size = internal_size - Storage::BLOCK_HEADER_SIZE;
	}
	~FileBuffer() { std::free(malloced_buffer); }

	void Clear() { std::memset(internal_buffer, 0, internal_size); }

	void ChecksumAndWrite(LocalFileSystem &fs, FileHandle &handle, idx_t location) {
		uint64_t checksum = Checksum(buffer, size);
		std::memcpy(internal_buffer, &checksum, sizeof(checksum));
		fs.Write(handle, internal_buffer, internal_size, location);
	}

	void ReadAndChecksum(LocalFileSystem &fs, FileHandle &handle, idx_t location) {
		fs.Read(handle, internal_buffer, internal_size, location);
		uint64_t stored;
		std::memcpy(&stored, internal_buffer, sizeof(stored));
		if (stored != Checksum(buffer, size)) {
			throw std::runtime_error("corrupt block");
		}
	}

	uint8_t *buffer;
	idx_t size;

private:
	uint8_t *malloced_buffer;
	idx_t malloced_size;
	uint8_t *internal_buffer;
	idx_t internal_size;
};

struct DatabaseHeader {
	uint64_t iteration;
	uint64_t meta_block;
	uint64_t free_list;
	uint64_t block_count;
};

class SingleFileBlockManager {
public:
	SingleFileBlockManager(LocalFileSystem &fs, const std::string &path, bool create_new, bool use_direct_io)
	    : fs(fs), header_buffer(Storage::FILE_HEADER_SIZE) {
		uint8_t flags = FileFlags::FILE_FLAGS_READ | FileFlags::FILE_FLAGS_WRITE;
		if (create_new) {
			flags |= FileFlags::FILE_FLAGS_FILE_CREATE;
		}
		if (use_direct_io) {
			flags |= FileFlags::FILE_FLAGS_DIRECT_IO;
		}
		handle = fs.OpenFile(path, flags);
		if (create_new) {
			header_buffer.Clear();
			std::memcpy(header_buffer.buffer, "DUCK", 4);
			header_buffer.ChecksumAndWrite(fs, *handle, 0); // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003

			DatabaseHeader h1 {};
			h1.iteration = 0;
			WriteHeader(h1, Storage::FILE_HEADER_SIZE); // zdio-expect: ZDIO004
			DatabaseHeader h2 {};
			WriteHeader(h2, Storage::FILE_HEADER_SIZE * 2); // zdio-expect: ZDIO004
		} else {
			header_buffer.ReadAndChecksum(fs, *handle, 0); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
		}
	}

	void WriteBlock(FileBuffer &block, idx_t block_id) {
		block.ChecksumAndWrite(fs, *handle, Storage::BLOCK_START + block_id * Storage::BLOCK_ALLOC_SIZE); // zdio-expect: ZDIO004, zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	}

	void ReadBlock(FileBuffer &block, idx_t block_id) {
		block.ReadAndChecksum(fs, *handle, Storage::BLOCK_START + block_id * Storage::BLOCK_ALLOC_SIZE); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	}

private:
	void WriteHeader(const DatabaseHeader &header, idx_t location) {
		header_buffer.Clear();
		std::memcpy(header_buffer.buffer, &header, sizeof(header));
		header_buffer.ChecksumAndWrite(fs, *handle, location); // zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
	}

	LocalFileSystem &fs;
	std::unique_ptr<FileHandle> handle;
	FileBuffer header_buffer;
};

} // namespace db

int main(int argc, char **argv) {
	db::LocalFileSystem fs;
	const std::string path = argc > 1 ? argv[1] : "test.db";
	bool direct = argc > 2 && std::string(argv[2]) == "--direct-io";

	db::SingleFileBlockManager manager(fs, path, true, direct);
	db::FileBuffer block(db::Storage::BLOCK_ALLOC_SIZE);
	std::memset(block.buffer, 0x42, block.size);
	manager.WriteBlock(block, 0);
	manager.WriteBlock(block, 1);
	manager.ReadBlock(block, 1);
	return 0;
}

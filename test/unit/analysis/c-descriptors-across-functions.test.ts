// C and C++: descriptors, flags and buffers that cross a function boundary inside one file — a helper
// that returns the descriptor, switches O_DIRECT on for its parameter, builds the open flags or
// allocates the buffer; a descriptor stored in a struct field or a C++ member. Each mechanism is shown
// finding what the code does, and staying quiet when the value is plain, aligned or unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS, type Language } from '../../../src/core/types';
import { inFull } from '../../support/told';

/** `ZDIO001@7` for each finding and `o_direct_io@7` for each site (1-based lines), sorted. */
async function report(code: string, language: Language = 'c'): Promise<{ sites: string[]; findings: string[]; messages: string[]; origins: unknown[]; told: string[] }> {
  const r = await analyzeText(code, language, DEFAULT_SETTINGS, { fileName: language === 'c' ? '/x/t.c' : '/x/t.cc' });
  return {
    sites: r.sites.map((s) => `${s.kind}@${s.range.start.line + 1}`).sort(),
    findings: r.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).sort(),
    messages: r.findings.map((f) => f.message),
    origins: r.findings.map((f) => f.derived.origin),
    told: r.findings.map(inFull),
  };
}

const returnedDescriptor = (flags: string) => `#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static int open_log(const char *path) {
\tint fd = open(path, ${flags}, 0644);
\tif (fd < 0)
\t\treturn -1;
\treturn fd;
}
int append(const char *path) {
\tint fd = open_log(path);
\tchar *entry = malloc(100);
\treturn write(fd, entry, 100) < 0;
}
`;

test('a helper that returns a descriptor opened with O_DIRECT: its callers\' I/O on it is an O_DIRECT site', async () => {
  const r = await report(returnedDescriptor('O_WRONLY | O_CREAT | O_DIRECT'));
  assert.deepEqual(r.sites, ['o_direct_io@13', 'o_direct_open@5']);
  assert.deepEqual(r.findings, ['ZDIO001@13', 'ZDIO002@13']);
});

test('a helper that returns a plain descriptor gives its callers no O_DIRECT site', async () => {
  const r = await report(returnedDescriptor('O_WRONLY | O_CREAT') + 'int direct_elsewhere(void) { return open("x", O_RDONLY | O_DIRECT); }\n');
  assert.deepEqual(r.sites, ['o_direct_open@15']);
  assert.deepEqual(r.findings, []);
});

const setter = (call: string) => `#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static void set_nocache(int fd) {
\tfcntl(fd, F_SETFL, O_DIRECT);
}
static int create(const char *name, int data) {
\tint fd = open(name, O_RDWR | O_CREAT, 0644);
${call}
\treturn fd;
}
int main(void) {
\tint fd = create("data", 1);
\tchar *page = malloc(4096);
\treturn pread(fd, page, 4096, 0) < 0;
}
`;

test('a helper that switches O_DIRECT on for its descriptor parameter, even on some paths only, makes the caller\'s descriptor O_DIRECT', async () => {
  const r = await report(setter('\tif (data)\n\t\tset_nocache(fd);'));
  assert.ok(r.sites.includes('o_direct_io@16'), r.sites.join(', '));
  assert.deepEqual(r.findings, ['ZDIO001@16']);
});

test('a descriptor never handed to the setter stays a plain one', async () => {
  const r = await report(setter('\tif (data)\n\t\tset_nocache(0);'));
  assert.deepEqual(r.sites, ['o_direct_open@5']);
  assert.deepEqual(r.findings, []);
});

const storedInStruct = (source: string) => `#include <fcntl.h>
#include <unistd.h>
struct job { int fd; long len; };
static void *worker(void *arg) {
\tstruct job *j = arg;
\tchar header[512];
\tpread(j->fd, header, sizeof(header), 0);
\treturn 0;
}
int main(int argc, char **argv) {
\tstruct job jobs[2];
\tint fd = open(argv[1], ${source});
\tint probe = open(argv[1], O_RDONLY | O_DIRECT);
\tclose(probe);
\tfor (int i = 0; i < 2; i++)
\t\tjobs[i].fd = fd;
\tworker(&jobs[0]);
\treturn 0;
}
`;

test('an O_DIRECT descriptor stored in a struct field reaches the function that reads the field', async () => {
  const r = await report(storedInStruct('O_RDONLY | O_DIRECT'));
  assert.deepEqual(r.sites, ['o_direct_io@7', 'o_direct_open@12', 'o_direct_open@13']);
  assert.deepEqual(r.findings, ['ZDIO001@7', 'ZDIO002@7']);
});

test('a plain descriptor stored in the same field gives no site, though its function holds an O_DIRECT one too', async () => {
  const r = await report(storedInStruct('O_RDONLY'));
  assert.deepEqual(r.sites, ['o_direct_open@13']);
  assert.deepEqual(r.findings, []);
});

// The descriptor is stored by a helper it is handed to (an interactive tool's file table), not by the
// function that opened it: the helper's store counts as the open's.
const storedByHelper = (flags: string) => `#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
typedef struct fileio { int fd; int flags; } fileio_t;
static fileio_t table[4];
static fileio_t *file;
static int count;
static int open_file(const char *path, int flags) {
\treturn open(path, flags, 0600);
}
static void add_file(int fd, int flags) {
\tfile = &table[count++];
\tfile->fd = fd;
\tfile->flags = flags;
}
static long read_at(int fd, char *buf, long len, long off) {
\treturn pread(fd, buf, len, off);
}
static long read_f(long off) {
\tstatic char buf[4096] __attribute__((aligned(4096)));
\treturn read_at(file->fd, buf, 4096, off);
}
int main(int argc, char **argv) {
\tint fd = open_file(argv[1], ${flags});
\tadd_file(fd, 0);
\treturn read_f(512) < 0;
}
`;

test('an O_DIRECT descriptor that a helper stores in a table entry reaches the I/O on that entry\'s field', async () => {
  const r = await report(storedByHelper('O_RDWR | O_DIRECT'));
  assert.deepEqual(r.sites, ['o_direct_io@17', 'o_direct_open@9']);
  assert.deepEqual(r.findings, ['ZDIO003@26']);
});

test('a plain descriptor stored by the same helper gives no O_DIRECT I/O', async () => {
  const r = await report(storedByHelper('argc > 2 ? O_RDWR : O_RDONLY'));
  assert.deepEqual(r.sites, []);
  assert.deepEqual(r.findings, []);
});

const member = (flags: string) => `#include <fcntl.h>
#include <memory>
#include <unistd.h>
class Reader {
 public:
  Reader(int fd) : fd_(fd) {}
  long Footer() const {
    std::unique_ptr<char[]> scratch(new char[48]);
    return ::pread(fd_, scratch.get(), 48, 0);
  }
 private:
  int fd_;
};
std::unique_ptr<Reader> make(const char *p, bool direct) {
  int flags = O_RDONLY;
  if (direct) flags |= O_DIRECT;
  int fd = ::open(p, ${flags});
  return std::unique_ptr<Reader>(new Reader(fd));
}
`;

test('C++: a member initialized from a constructor parameter holds the O_DIRECT descriptor a construction passes', async () => {
  const r = await report(member('flags'), 'cpp');
  assert.deepEqual(r.sites, ['o_direct_io@9', 'o_direct_open@17']);
  assert.deepEqual(r.findings, ['ZDIO001@9', 'ZDIO002@9']);
});

test('C++: a construction with a plain descriptor leaves the member plain', async () => {
  const r = await report(member('O_RDONLY') + 'int probe(const char *p) { return ::open(p, O_RDONLY | O_DIRECT); }\n', 'cpp');
  assert.deepEqual(r.sites, ['o_direct_open@20']);
  assert.deepEqual(r.findings, []);
});

const flagHelpers = (setBody: string) => `#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static void mode_flags(int nocache, int *flags) {
${setBody}
}
static int with_cloexec(int flags) {
\tflags |= O_CLOEXEC;
\treturn flags;
}
int open_image(const char *name, int nocache) {
\tint flags = O_RDWR;
\tmode_flags(nocache, &flags);
\tflags = with_cloexec(flags);
\tint fd = open(name, flags);
\tchar *buf = malloc(512);
\treturn pread(fd, buf, 512, 0) < 0;
}
`;

test('open flags that get O_DIRECT through a pointer parameter and pass through a helper that returns them', async () => {
  const r = await report(flagHelpers('\tif (nocache)\n\t\t*flags |= O_DIRECT;'));
  assert.deepEqual(r.sites, ['o_direct_io@18', 'o_direct_open@16']);
  assert.deepEqual(r.findings, ['ZDIO001@18', 'ZDIO002@18']);
});

test('flags a helper only touches with other bits stay without O_DIRECT', async () => {
  const r = await report(flagHelpers('\tif (nocache)\n\t\t*flags |= O_DSYNC;') + 'int direct(void) { return open("z", O_RDONLY | O_DIRECT); }\n');
  assert.deepEqual(r.sites, ['o_direct_open@20']);
  assert.deepEqual(r.findings, []);
});

const allocHelper = (align: string) => `#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static void *alloc_block(size_t align, size_t size) {
\tvoid *p;
\tif (posix_memalign(&p, align, size))
\t\treturn NULL;
\treturn p;
}
static int do_write(int fd, const char *buf, size_t len) {
\treturn write(fd, buf, len) < 0;
}
int main(void) {
\tint fd = open("f", O_WRONLY | O_CREAT | O_DIRECT, 0644);
\tchar *block = alloc_block(${align}, 131072);
\treturn do_write(fd, block, 131072);
}
`;

test('a buffer from an allocation helper takes the alignment its caller asked for; the finding is at the call', async () => {
  const r = await report(allocHelper('512'));
  assert.deepEqual(r.findings, ['ZDIO001@16']);
  assert.match(String(r.origins[0]), /alloc_block\(\)/);
  assert.match(r.told[0]!, /do_write\(\), reaches write\(\)/);
});

test('an allocation helper asked for page alignment, or for an alignment nobody knows, gives no buffer finding', async () => {
  assert.deepEqual((await report(allocHelper('4096'))).findings, []);
  assert.deepEqual((await report(allocHelper('(size_t)sysconf(_SC_PAGESIZE)'))).findings, []);
  assert.deepEqual((await report(allocHelper('strtoul("512", 0, 10)'))).findings, []);
});

const cppBuffers = (body: string, fields = '') => `#include <array>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>
#include <vector>
struct Request { std::vector<char> scratch; struct iovec iov; ${fields} };
int run(const char *p, std::vector<Request> &reqs) {
  int fd = ::open(p, O_RDWR | O_DIRECT);
${body}
  return 0;
}
`;

test('C++: std::array::size() is the size in the type; a vector field\'s data() is the vector\'s heap buffer', async () => {
  const sized = await report(cppBuffers('  std::array<char, 512> sector{};\n  ::pwrite(fd, sector.data(), sector.size(), 0);'), 'cpp');
  assert.deepEqual(sized.findings, ['ZDIO001@10', 'ZDIO002@10']);
  const field = await report(cppBuffers('  for (auto &r : reqs) {\n    r.iov.iov_base = r.scratch.data();\n    r.iov.iov_len = 4096;\n    ::preadv(fd, &r.iov, 1, 0);\n  }'), 'cpp');
  assert.deepEqual(field.findings, ['ZDIO001@12']);
});

test('C++: a page-sized std::array, a std::array field of a struct that may be aligned, a field declared with two types: no guess', async () => {
  const page = await report(cppBuffers('  alignas(4096) std::array<char, 4096> page{};\n  ::pwrite(fd, page.data(), page.size(), 0);'), 'cpp');
  // aligned and a whole page: only the note that a page is not a record remains
  assert.deepEqual(page.findings, ['ZDIO004@10']);
  const arrayField = await report('struct alignas(4096) Frame { std::array<char, 4096> bytes; };\n'
    + cppBuffers('  Frame f;\n  ::pread(fd, f.bytes.data(), 4096, 0);'), 'cpp');
  assert.deepEqual(arrayField.findings.filter((f) => f.startsWith('ZDIO001')), []);
  const twoTypes = await report(cppBuffers('  for (auto &r : reqs) {\n    r.iov.iov_base = r.scratch.data();\n    r.iov.iov_len = 4096;\n    ::preadv(fd, &r.iov, 1, 0);\n  }')
    + 'struct Other { AlignedBuffer scratch; };\n', 'cpp');
  assert.deepEqual(twoTypes.findings, []);
});

test('C: a helper that writes its parameter times a constant gets each call\'s value, on the call\'s argument', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static char *block;
static void write_kb(const char *path, int kb)
{
	int fd = open(path, O_RDWR | O_DIRECT);
	pwrite(fd, block, kb * 1024, 0);
	close(fd);
}
int main(void)
{
	posix_memalign((void **)&block, 4096, 16384);
	write_kb("a", 16);
	write_kb("a", 2);
	return 0;
}
`;
  const result = await analyzeText(text, 'c', DEFAULT_SETTINGS, { fileName: 'kb.c' });
  const lines = text.split('\n');
  const got = result.findings.map((f) => `${f.ruleId}@${lines[f.range.start.line]!.trim()}`).sort();
  assert.deepEqual(got, ['ZDIO002@write_kb("a", 2);', 'ZDIO004@write_kb("a", 16);']);
  assert.match(result.findings.find((f) => f.ruleId === 'ZDIO002')!.message, /length 2048 is not a multiple/);
});

const flagTable = (rows: string, walk: string) => `#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
struct symbol_value { const char *symbol; int value; };
static const struct symbol_value flags[] = {
${rows}
\t{ NULL, 0 },
};
static int parse_symbols(const char *str)
{
\tint value = 0;
${walk}
\treturn value;
}
int main(int argc, char **argv)
{
\tint fd = open(argv[1], O_RDONLY | parse_symbols(argv[2]));
\tchar label[512];
\treturn read(fd, label, sizeof(label)) < 0;
}
`;

test('C: flags ORed together from a table of names (dd\'s iflag=/oflag= parser) carry O_DIRECT when a row holds it', async () => {
  const pointerWalk = '\tfor (const struct symbol_value *p = flags; p->symbol; p++)\n\t\tif (strstr(str, p->symbol))\n\t\t\tvalue |= p->value;';
  const indexWalk = '\tfor (int i = 0; flags[i].symbol; i++)\n\t\tif (strstr(str, flags[i].symbol))\n\t\t\tvalue |= flags[i].value;';
  const withDirect = '\t{ "direct", O_DIRECT },\n\t{ "dsync", O_DSYNC },';
  for (const walk of [pointerWalk, indexWalk]) {
    const direct = await report(flagTable(withDirect, walk));
    const line = (text: string) => flagTable(withDirect, walk).split('\n').findIndex((l) => l.includes(text)) + 1;
    assert.deepEqual(direct.sites, [`o_direct_io@${line('return read(')}`, `o_direct_open@${line('int fd = open(')}`].sort());
    assert.deepEqual(direct.findings, [`ZDIO001@${line('return read(')}`, `ZDIO002@${line('return read(')}`]);
    // the same parser over a table without O_DIRECT opens buffered: nothing to report
    const buffered = await report(flagTable('\t{ "dsync", O_DSYNC },\n\t{ "sync", O_SYNC },', walk));
    assert.deepEqual([buffered.sites, buffered.findings], [[], []]);
  }
});

test('C++: a member function is a helper like a plain function, called through its object or unqualified in its class', async () => {
  const code = `#include <fcntl.h>
#include <libaio.h>
#include <unistd.h>
class Device {
 public:
  int open(const char *path) { fd_ = ::open(path, O_RDWR | O_DIRECT); return fd_; }
  int submit(void *buf, unsigned long len, long long off) {
    struct iocb cb;
    io_prep_pwrite(&cb, fd_, buf, len, off);
    return 0;
  }
  int label(void *buf) { return submit(buf, 4096, 512); }
 private:
  int fd_ = -1;
};
int main() {
  Device dev;
  void *buf = nullptr;
  if (posix_memalign(&buf, 4096, 8192) != 0 || dev.open("disk") < 0) return 1;
  dev.submit(buf, 8192, 65536);
  return dev.label(buf);
}
`;
  const r = await report(code, 'cpp');
  const line = (text: string) => code.split('\n').findIndex((l) => l.includes(text)) + 1;
  assert.deepEqual(r.findings, [`ZDIO003@${line('return submit(buf, 4096, 512)')}`, `ZDIO004@${line('dev.submit(buf, 8192, 65536)')}`].sort());
  // the member named like the library call stays the class's own: ::open is still the open site
  assert.ok(r.sites.includes(`o_direct_open@${line('fd_ = ::open(')}`));
});

test('C: a helper that opens with the flags it is handed returns an O_DIRECT descriptor to the calls that pass O_DIRECT', async () => {
  const code = `#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
static int open_fd(const char *fn, int flags)
{
	int fd = open(fn, flags, 0666);
	if (fd < 0)
		return -1;
	return fd;
}
int direct(const char *fn)
{
	char header[256] = "hdr";
	int fd = open_fd(fn, O_WRONLY | O_CREAT | O_DIRECT);
	return write(fd, header, sizeof(header)) < 0;
}
int buffered(const char *fn)
{
	char header[256] = "hdr";
	int fd = open_fd(fn, O_WRONLY | O_CREAT);
	return write(fd, header, sizeof(header)) < 0;
}
`;
  const r = await report(code);
  const lines = code.split('\n');
  const direct = lines.findIndex((l) => l.includes('return write(fd')) + 1;
  assert.deepEqual(r.findings, [`ZDIO001@${direct}`, `ZDIO002@${direct}`]);
  assert.ok(r.sites.includes(`o_direct_io@${direct}`));
  const buffered = lines.findIndex((l, i) => i + 1 > direct && l.includes('return write(fd')) + 1;
  assert.ok(!r.sites.includes(`o_direct_io@${buffered}`), 'the call that passes buffered flags gets a buffered descriptor');
});

// A helper that creates the descriptor, switches O_DIRECT on with fcntl(F_SETFL) on a condition, and hands
// it back through an out-parameter (a key/value store's hot backup).
const handedBack = (setfl: string) => `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static int create_copy(const char *path, long psize, int *fdp) {
\tint fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
\tif (fd < 0)
\t\treturn -1;
\tif (psize >= sysconf(_SC_PAGESIZE)) {
\t\tint fl = fcntl(fd, F_GETFL);
\t\tfcntl(fd, F_SETFL, ${setfl});
\t}
\t*fdp = fd;
\treturn 0;
}
static long copy_out(int fd, const char *map, size_t n) {
\treturn write(fd, map, n);
}
int main(int argc, char **argv) {
\tint fd;
\tchar *map = malloc(8192);
\tif (create_copy(argv[1], 4096, &fd) != 0)
\t\treturn 1;
\treturn copy_out(fd, map, 8192) < 0;
}
`;

test('a descriptor a helper switched to O_DIRECT and handed back through an out-parameter is O_DIRECT for the caller', async () => {
  const r = await report(handedBack('fl | O_DIRECT'));
  assert.deepEqual(r.sites, ['o_direct_io@17', 'o_direct_open@11']);
  assert.deepEqual(r.findings, ['ZDIO001@24']);
});

test('a descriptor handed back after a switch that adds other flags stays plain', async () => {
  const r = await report(handedBack('fl | O_NONBLOCK'));
  assert.deepEqual(r.sites, []);
  assert.deepEqual(r.findings, []);
});

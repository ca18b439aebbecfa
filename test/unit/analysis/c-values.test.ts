// Constant evaluation and buffer provenance in C and C++ (real parses through the extractor).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BufferOrigin, DerivedNumber, Language } from '../../../src/core/types';
import { factsOf } from './c-family-helpers';

/** The length the extractor derives for `copy_file_range(…, EXPR, 0)` with `pre` at file scope and `body` before the call. */
async function lengthOf(expr: string, pre = '', body = '', language: Language = 'c'): Promise<DerivedNumber | undefined> {
  const code = `${pre}\nvoid f(int a, int b, long param) {\n${body}\n  copy_file_range(a, NULL, b, NULL, ${expr}, 0);\n}\n`;
  const facts = (await factsOf(code, language)).filter((f) => f.site.kind === 'copy_file_range');
  assert.equal(facts.length, 1, `one copy_file_range site in:\n${code}`);
  return facts[0]!.length;
}

async function valueOf(expr: string, pre = '', body = '', language: Language = 'c'): Promise<number | undefined> {
  const d = await lengthOf(expr, pre, body, language);
  return d?.known ? d.value : undefined;
}

test('integer spellings: shifts with suffixes, products, hex, octal, C++14 separators', async () => {
  assert.equal(await valueOf('1ULL << 17'), 131072);
  assert.equal(await valueOf('128 * 1024'), 131072);
  assert.equal(await valueOf('0x20000'), 131072);
  assert.equal(await valueOf('0X20000UL'), 131072);
  assert.equal(await valueOf('010000'), 4096);
  assert.equal(await valueOf('4096u'), 4096);
  assert.equal(await valueOf("131'072", '', '', 'cpp'), 131072);
  assert.equal(await valueOf("0x2'0000ull", '', '', 'cpp'), 131072);
  assert.equal(await valueOf('~0xFFF & 0x3FFF'), 12288);
  assert.equal(await valueOf('-(-4096)'), 4096);
  assert.equal(await valueOf('(size_t)(1 << 12) * 3'), 12288);
  assert.equal(await valueOf('4096.0'), undefined, 'floats are not derived');
});

test('#define (nested, parenthesized, commented, defined after use), enum, const, constexpr', async () => {
  assert.equal(await valueOf('TWICE', '#define TWICE (BASE * 2) /* two records */\n#define BASE 65536'), 131072);
  assert.equal(await valueOf('REC', '#define REC   (1ULL << 17)   // record'), 131072);
  assert.equal(await valueOf('NEXT', 'enum { LAST = 4095, NEXT };'), 4096);
  assert.equal(await valueOf('B', 'typedef enum { A = 1 << 12, B = A * 32 } sizes_t;'), 131072);
  assert.equal(await valueOf('K', 'static const size_t K = 1 << 12;'), 4096);
  assert.equal(await valueOf('K', 'constexpr std::size_t K = 128 * 1024;', '', 'cpp'), 131072);
  assert.equal(await valueOf('ns::K', 'namespace ns { constexpr long K = 0x20000; }', '', 'cpp'), 131072);
  assert.equal(await valueOf('S::kBlock', 'struct S { static constexpr unsigned kBlock = 4096; };', '', 'cpp'), 4096);
  assert.equal(await valueOf('g_len', 'static size_t g_len = 4096;'), 4096, 'a global nobody assigns');
  assert.equal(await valueOf('g_len', 'static size_t g_len = 4096;\nvoid set(void) { g_len = 100; }'), undefined, 'a global assigned elsewhere');
  assert.equal(await valueOf('KB(128)', '#define KB(x) ((x) * 1024)'), 131072, 'function-like macros with known arguments');
  assert.equal(await valueOf('ALIGN_UP(len, 4096)', '#define ALIGN_UP(v, a) (((v) + (a) - 1) & ~((a) - 1))', 'size_t len = 5000;'), 8192);
  assert.equal(await valueOf('KB(param)', '#define KB(x) ((x) * 1024)'), undefined, 'an unknown argument');
  assert.equal(await valueOf('CAT(1, 2)', '#define CAT(a, b) a ## b'), undefined, 'token pasting is not arithmetic');
  assert.equal(await valueOf('F(1)', '#define F(x) F(x)'), undefined, 'self-referencing function-like macro');
  assert.equal(await valueOf('LOOP', '#define LOOP (LOOP + 1)'), undefined, 'self-referencing macros stop');
  assert.equal(await valueOf('TWO', '#define TWO 1\n#undef TWO\n#define TWO 2'), undefined, 'conflicting definitions are unknown');
});

test('sizeof on LP64: types, arrays, variables', async () => {
  assert.equal(await valueOf('sizeof(uint64_t) * 16384'), 131072);
  assert.equal(await valueOf('sizeof(char) + sizeof(int) + sizeof(long) + sizeof(void *)'), 21);
  assert.equal(await valueOf('sizeof(struct iovec)'), 16);
  assert.equal(await valueOf('sizeof(struct file_clone_range)'), 32);
  assert.equal(await valueOf('sizeof(struct mystery)'), undefined);
  assert.equal(await valueOf('sizeof buf', '', 'char buf[4096];'), 4096);
  assert.equal(await valueOf('sizeof(words)', '', 'uint32_t words[8];'), 32);
  assert.equal(await valueOf('sizeof(grid)', '', 'char grid[2][4096];'), 8192);
  assert.equal(await valueOf('sizeof(gbuf)', 'static char gbuf[3 * 4096];'), 12288);
  assert.equal(await valueOf('sizeof(buf)', '', 'unsigned char buf[4096];', 'cpp'), 4096);
});

test('locals: one assignment, agreeing branches, disagreeing branches, later reassignment, compound updates, parameters', async () => {
  assert.equal(await valueOf('len', '', 'size_t len = 3 * 65536;'), 196608);
  assert.equal(await valueOf('len', '', 'size_t len;\n  len = 4096;'), 4096);
  assert.equal(await valueOf('len', '', 'size_t len;\n  if (a) len = 4096; else len = 4096;'), 4096);
  assert.equal(await valueOf('len', '', 'size_t len;\n  if (a) len = 4096; else len = 8192;'), undefined);
  assert.equal(await valueOf('len', '', 'size_t len = 4096;\n  if (a) len = 8192;'), undefined);
  assert.equal(await valueOf('len', '', 'size_t len = 4096;\n  len += 1;'), undefined);
  assert.equal(await valueOf('len', '', 'size_t len = 4096;\n  len++;'), undefined);
  assert.equal(await valueOf('len', '', 'size_t len = 4096;\n  scanf("%zu", &len);'), undefined, 'address taken: may be written');
  assert.equal(await valueOf('param'), undefined, 'parameters are unknown');
  assert.equal(await valueOf('len', '', 'size_t len = 8192;\n  size_t copy = len;\n  len = 1;\n  len = copy;'), 8192);
  assert.equal(await valueOf('a ? 4096 : 4096'), 4096);
  assert.equal(await valueOf('a ? 4096 : 8192'), undefined);
  // A value assigned later in the function does not reach the call.
  const later = `void f(int a, int b) {\n  size_t len = 196608;\n  copy_file_range(a, NULL, b, NULL, len, 0);\n  len = 4096;\n}\n`;
  const facts = await factsOf(later);
  assert.deepEqual(facts[0]!.length, { known: true, value: 196608, text: 'len' });
  // C++: passing a local to an unknown function may change it (references).
  assert.equal(await valueOf('len', '', 'size_t len = 4096;\n  adjust(len);', 'cpp'), undefined);
  assert.equal(await valueOf('len', '', 'size_t len = 4096;\n  std::cin >> len;', 'cpp'), undefined);
});

test('copy_file_range offsets: &off follows the variable; NULL, nullptr and 0 mean the file position', async () => {
  const code = `void f(int a, int b) {\n  loff_t in = 4096, out = 1 << 18;\n  copy_file_range(a, &in, b, &out, 1 << 17, 0);\n  copy_file_range(a, NULL, b, 0, 1 << 17, 0);\n}\n`;
  const [one, two] = await factsOf(code);
  assert.deepEqual(one!.srcOffset, { known: true, value: 4096, text: 'in' });
  assert.deepEqual(one!.dstOffset, { known: true, value: 262144, text: 'out' });
  assert.equal(two!.srcOffset!.known, false);
  assert.equal(two!.dstOffset!.known, false);
  const loop = `void f(int a, int b) {\n  loff_t off = 0;\n  while (copy_file_range(a, &off, b, NULL, 1 << 17, 0) > 0) {}\n  copy_file_range(a, &off, b, NULL, 1 << 17, 0);\n}\n`;
  const [first, second] = await factsOf(loop);
  assert.deepEqual(first!.srcOffset, { known: true, value: 0, text: 'off' });
  assert.equal(second!.srcOffset!.known, false, 'the first call advanced off');
});

/** The buffer origin the extractor derives for `pread(fd, BUF, 4096, 0)` on an O_DIRECT descriptor. */
async function originOf(buf: string, body = '', language: Language = 'c', pre = ''): Promise<BufferOrigin | undefined> {
  const code = `${pre}\nvoid f(const char *path, size_t n, char *param) {\n  int fd = open(path, O_RDWR | O_DIRECT);\n${body}\n  pread(fd, ${buf}, 4096, 0);\n}\n`;
  const facts = (await factsOf(code, language)).filter((f) => f.site.kind === 'o_direct_io');
  assert.equal(facts.length, 1, `one O_DIRECT pread in:\n${code}`);
  return facts[0]!.buffer;
}

test('buffer provenance: allocators without a page guarantee are unaligned', async () => {
  const m = await originOf('p', 'char *p = malloc(8192);');
  assert.equal(m!.state, 'unaligned');
  assert.equal(m!.origin, 'malloc(8192)');
  assert.equal(m!.allocationText, 'malloc(8192)');
  assert.ok(m!.allocationRange);
  assert.deepEqual(m!.allocationSize, { known: true, value: 8192, text: '8192' });
  const c = await originOf('p', 'char *p = calloc(2, 4096);');
  assert.deepEqual([c!.state, c!.origin, c!.allocationRange], ['unaligned', 'calloc(2, 4096)', undefined]);
  assert.equal((await originOf('p', 'char *p = realloc(param, 8192);'))!.state, 'unaligned');
  assert.equal((await originOf('buf', 'char buf[4096];'))!.state, 'unaligned');
  assert.equal((await originOf('buf', 'static char buf[4096];'))!.state, 'unaligned');
  assert.equal((await originOf('g', '', 'c', 'static char g[8192];'))!.origin, 'array char g[8192]');
  assert.equal((await originOf('"literal"'))!.state, 'unaligned');
  assert.equal((await originOf('p', 'char *p = new char[4096];', 'cpp'))!.origin, 'new char[4096]');
  assert.equal((await originOf('v.data()', 'std::vector<char> v(4096);', 'cpp'))!.origin, 'std::vector<char>::data()');
  assert.equal((await originOf('s.data()', 'std::string s(4096, 0);', 'cpp'))!.state, 'unaligned');
  assert.equal((await originOf('a.data()', 'std::array<char, 4096> a{};', 'cpp'))!.state, 'unaligned');
  assert.equal((await originOf('a.data()', 'alignas(4096) std::array<char, 4096> a{};', 'cpp'))!.alignment, 4096);
  assert.equal((await originOf('v.data()', 'std::vector<char, PageAllocator<char>> v(4096);', 'cpp'))!.state, 'unknown', 'a custom allocator may align');
  assert.equal((await originOf('u.get()', 'auto u = std::make_unique<char[]>(4096);', 'cpp'))!.state, 'unaligned');
});

test('buffer provenance: aligned allocations and declarations', async () => {
  const pm = await originOf('p', 'void *p;\n  posix_memalign(&p, 4096, n);');
  assert.deepEqual([pm!.state, pm!.alignment], ['aligned', 4096]);
  const cast = await originOf('p', 'char *p;\n  if (posix_memalign((void **)&p, 1 << 16, n) != 0) return;');
  assert.deepEqual([cast!.state, cast!.alignment], ['aligned', 65536]);
  const pg = await originOf('p', 'void *p;\n  posix_memalign(&p, sysconf(_SC_PAGESIZE), n);');
  assert.deepEqual([pg!.state, pg!.alignedToPage], ['aligned', true]);
  assert.deepEqual((await originOf('p', 'char *p = aligned_alloc(4096, 8192);'))!.alignment, 4096);
  assert.deepEqual((await originOf('p', 'auto *p = static_cast<char *>(std::aligned_alloc(4096, 8192));', 'cpp'))!.alignment, 4096);
  assert.deepEqual((await originOf('p', 'char *p = memalign(512, 8192);'))!.alignment, 512);
  assert.equal((await originOf('p', 'char *p = valloc(8192);'))!.alignedToPage, true);
  assert.equal((await originOf('p', 'char *p = pvalloc(8192);'))!.alignedToPage, true);
  assert.equal((await originOf('p', 'char *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);'))!.alignedToPage, true);
  assert.deepEqual((await originOf('b', 'alignas(4096) char b[4096];', 'cpp'))!.alignment, 4096);
  assert.deepEqual((await originOf('b', '_Alignas(4096) char b[4096];'))!.alignment, 4096);
  assert.deepEqual((await originOf('b', 'char __attribute__((aligned(4096))) b[4096];'))!.alignment, 4096);
  assert.deepEqual((await originOf('b', 'char b[4096] __attribute__((aligned(1 << 12)));'))!.alignment, 4096);
  assert.deepEqual((await originOf('g', '', 'c', 'static char g[8192] __attribute__ ((aligned (4096)));'))!.alignment, 4096);
  assert.deepEqual((await originOf('p', 'char *p = new (std::align_val_t(4096)) char[8192];', 'cpp'))!.alignment, 4096);
});

test('buffer provenance: offsets from an aligned base, unknown sources, disagreeing paths', async () => {
  const base = 'char *p = aligned_alloc(4096, 16384);';
  assert.equal((await originOf('p + 512', base))!.offset, 512);
  assert.equal((await originOf('&p[4096]', base))!.offset, 4096);
  assert.equal((await originOf('(char *)p + 100', base))!.offset, 100);
  assert.equal((await originOf('q + 2', 'uint32_t *q = aligned_alloc(4096, 16384);'))!.offset, 8, 'pointer arithmetic scales');
  assert.equal((await originOf('p + n', base))!.state, 'unknown', 'unknown offset from an aligned base');
  assert.equal((await originOf('q + n', 'char *q = malloc(8192);'))!.state, 'unaligned', 'anything from malloc stays unaligned');
  assert.equal((await originOf('param'))!.state, 'unknown', 'parameters are unknown');
  const arrayParam = `void f(const char *path, char buf[4096]) {\n  int fd = open(path, O_RDONLY | O_DIRECT);\n  read(fd, buf, sizeof buf);\n}\n`;
  const [, io] = await factsOf(arrayParam);
  assert.equal(io!.buffer!.state, 'unknown', 'an array parameter is a pointer from somewhere else');
  assert.deepEqual(io!.length, { known: true, value: 8, text: 'sizeof buf' }, 'sizeof of an array parameter is the pointer size');
  assert.equal((await originOf('p', 'char *p = get_buffer();'))!.state, 'unknown', 'unknown calls are unknown');
  assert.equal((await originOf('p', 'char *p;\n  if (n) p = malloc(4096); else p = aligned_alloc(4096, 4096);'))!.state, 'unknown');
  assert.equal((await originOf('p', 'char *p = malloc(4096);\n  free(p);\n  p = aligned_alloc(4096, 4096);'))!.state, 'aligned', 'the last assignment wins');
});

test('descriptors: locals, copies, dup, struct fields, reassignment, fcntl', async () => {
  const sites = async (body: string, pre = ''): Promise<string[]> =>
    (await factsOf(`${pre}\nvoid f(const char *path, struct ctx *c, struct ctx d) {\n${body}\n}\n`)).map((x) => `${x.site.kind}:${x.site.callee}`);
  assert.deepEqual(await sites('int fd = open(path, O_RDONLY | O_DIRECT);\n  int copy = fd;\n  char b[10];\n  read(copy, b, 10);'), ['o_direct_open:open', 'o_direct_io:read']);
  assert.deepEqual(await sites('int fd = dup(open(path, O_DIRECT));\n  char b[10];\n  read(fd, b, 10);'), ['o_direct_open:open', 'o_direct_io:read']);
  assert.deepEqual(await sites('c->fd = open(path, O_DIRECT);\n  d.fd = open(path, O_RDONLY);\n  char b[10];\n  read(c->fd, b, 10);\n  read(d.fd, b, 10);'), ['o_direct_open:open', 'o_direct_io:read']);
  assert.deepEqual(await sites('int fd = open(path, O_DIRECT);\n  close(fd);\n  fd = open(path, O_RDONLY);\n  char b[10];\n  read(fd, b, 10);'), ['o_direct_open:open']);
  assert.deepEqual(await sites('int fd = open(path, O_RDONLY);\n  if (fd < 0) return;\n  fcntl(fd, F_SETFL, O_DIRECT | O_NONBLOCK);\n  char b[10];\n  read(fd, b, 10);'), ['o_direct_open:fcntl', 'o_direct_io:read']);
  assert.deepEqual(await sites('int flags = O_RDONLY;\n  if (path) flags |= O_DIRECT;\n  int fd = open(path, flags);\n  char b[10];\n  read(fd, b, 10);'), ['o_direct_open:open', 'o_direct_io:read']);
  assert.deepEqual(await sites('int fd = openat(AT_FDCWD, path, DIRECT_RW, 0600);\n  char b[10];\n  write(fd, b, 10);', '#define DIRECT_RW (O_RDWR | O_DIRECT)'), ['o_direct_open:openat', 'o_direct_io:write']);
  assert.deepEqual(await sites('int fd = open(path, FLAGS);\n  char b[10];\n  write(fd, b, 10);', 'static const int FLAGS = O_WRONLY | O_DIRECT;'), ['o_direct_open:open', 'o_direct_io:write']);
  assert.deepEqual(await sites('int fd = open(path, O_RDWR | O_DIRECT & ~O_DIRECT);'), [], 'masked out');
  // A field or global opened with O_DIRECT in one function and without it in another is not known to be O_DIRECT.
  const mixed = 'struct st { int fd; };\nint g_fd;\n'
    + 'void a(struct st *s, const char *p) { s->fd = open(p, O_RDWR | O_DIRECT); g_fd = open(p, O_RDONLY | O_DIRECT); }\n'
    + 'void b(struct st *t, const char *p) { t->fd = open(p, O_WRONLY | O_APPEND); g_fd = open(p, O_RDONLY); }\n'
    + 'void use(struct st *u) { char x[10]; write(u->fd, x, 10); read(g_fd, x, 10); }\n';
  assert.deepEqual((await factsOf(mixed)).map((x) => x.site.kind), ['o_direct_open', 'o_direct_open']);
  const direct = mixed.replace('void b(', 'void unused_b(').replace('O_WRONLY | O_APPEND', 'O_WRONLY | O_DIRECT').replace('g_fd = open(p, O_RDONLY);', '');
  assert.deepEqual((await factsOf(direct)).map((x) => `${x.site.kind}:${x.site.callee}`),
    ['o_direct_open:open', 'o_direct_open:open', 'o_direct_open:open', 'o_direct_io:write', 'o_direct_io:read']);
});

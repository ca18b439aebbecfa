// The file position of a descriptor a helper receives (C): where the caller left it, moved by what the
// helper did before its read or write. The caller's open, its own I/O and seeks, a helper that opened
// the descriptor for it, and the caller's own callers decide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';

const program = (helpers: string, steps: string) => `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/uio.h>
${helpers}
int main(int argc, char **argv) {
\tstatic char page[1 << 20] __attribute__((aligned(4096)));
\tint fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644);
${steps}
\treturn 0;
}
`;

const PUT = 'static ssize_t put(int fd, const char *buf, size_t count) {\n\treturn write(fd, buf, count);\n}';

/** `rule line:column offset=…` of each finding, lines 1-based. */
async function findings(helpers: string, steps: string, source?: string): Promise<string[]> {
  const r = await analyzeText(source ?? program(helpers, steps), 'c', DEFAULT_SETTINGS, { fileName: '/x/entry.c' });
  return r.findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}:${f.range.start.column + 1} offset=${f.derived.offset ?? '-'}`);
}

test('a helper writes where the caller left the descriptor: just after the open, after the caller\'s writes, after its seek', async () => {
  // line 12 is the first step; `put(fd, …)` puts the descriptor at column 6 and the length at column 16
  assert.deepEqual(await findings(PUT, '\tput(fd, page, 65536);'), ['ZDIO004 12:16 offset=0']);
  assert.deepEqual(await findings(PUT, '\twrite(fd, page, 131072);\n\tput(fd, page, 4096);'), ['ZDIO004 13:16 offset=131072']);
  // the length is a whole record; the position the caller's own partial write left is not
  assert.deepEqual(await findings(PUT, '\twrite(fd, page, 4096);\n\tput(fd, page, 131072);'), ['ZDIO004 12:18 offset=0', 'ZDIO004 13:6 offset=4096']);
  assert.deepEqual(await findings(PUT, '\tlseek(fd, 262144, SEEK_SET);\n\tput(fd, page, 131072);'), []);
  // sequential calls: each starts where the one before left it (the helper moved it by its count)
  assert.deepEqual(await findings(PUT, '\tput(fd, page, 131072);\n\tput(fd, page, 131072);\n\tput(fd, page, 4096);\n\tput(fd, page, 131072);'),
    ['ZDIO004 14:16 offset=262144', 'ZDIO004 15:6 offset=266240']);
});

test('a move the caller cannot count, or one only some paths take, leaves the helper\'s position unknown', async () => {
  assert.deepEqual(await findings(PUT, '\twrite(fd, page, (size_t)atoi(argv[2]));\n\tput(fd, page, 131072);'), []);
  assert.deepEqual(await findings(PUT, '\tif (argc > 2)\n\t\twrite(fd, page, 131072);\n\tput(fd, page, 131072);'), []);
  assert.deepEqual(await findings(PUT, '\tlseek(fd, 0, SEEK_END);\n\tput(fd, page, 131072);'), []);
  // the quiet site says why: its position is the caller's, and no caller's is known
  const quiet = await analyzeText(program(PUT, '\twrite(fd, page, (size_t)atoi(argv[2]));\n\tput(fd, page, 131072);'), 'c', DEFAULT_SETTINGS, { fileName: '/x/entry.c' });
  const offset = quiet.sites.find((x) => x.range.start.line === 6)?.unknowns?.find((u) => u.value === 'offset');
  assert.match(offset?.reason ?? '', /^the file position is where `fd`, a parameter of `put\(\)`, stands when it starts; no call in this file passes a known value$/);
  // a descriptor opened for appending to a file that is not emptied: nobody knows where its writes land
  const appending = program(PUT, '\tput(fd, page, 65536);').replace('O_TRUNC', 'O_APPEND');
  assert.deepEqual(await findings('', '', appending), []);
});

test('what the helper does before its write moves the position the caller gave it', async () => {
  const header = 'static int put_header(int fd, const char *buf) {\n\tif (write(fd, buf, 4096) != 4096)\n\t\treturn -1;\n\treturn write(fd, buf + 4096, 131072) == 131072 ? 0 : -1;\n}';
  const got = await findings(header, '\tput_header(fd, page);');
  // the first write at 0 is a partial record (its length, in the helper), the second starts 4096 into
  // one (its offset: the descriptor the call passes)
  assert.deepEqual(got, ['ZDIO004 7:21 offset=0', 'ZDIO004 14:13 offset=4096']);
});

test('a branch that returns, or the other arm of a choice, does not move the position on the way to the write', async () => {
  const vectored = `static ssize_t put_mode(int fd, char *buf, size_t count, int mode) {
\tif (mode) {
\t\tstruct iovec iov[2] = { { buf, count / 2 }, { buf + count / 2, count / 2 } };
\t\treturn writev(fd, iov, 2);
\t}
\treturn write(fd, buf, count);
}`;
  assert.deepEqual(await findings(vectored, '\tput_mode(fd, page, 65536, 0);'), ['ZDIO004 16:21 offset=0']);
  // a block that ends in a return but can be left by a goto first: the writev may have run
  const leaky = vectored.replace('\t\treturn writev(fd, iov, 2);', '\t\tif (writev(fd, iov, 2) < 0)\n\t\t\tgoto out;\n\t\treturn 0;').replace('\treturn write(fd, buf, count);', '\treturn write(fd, buf, count);\nout:\n\treturn -1;');
  assert.deepEqual(await findings(leaky, '\tput_mode(fd, page, 65536, 0);'), []);
  // `argc > 2 ? put(fd, page + 0, …) : put(fd, page, …)`: each arm starts where the caller stands
  assert.deepEqual(await findings(PUT, '\tint rc = argc > 2 ? put(fd, page, 131072) : put(fd, page, 65536);\n\t(void)rc;'), ['ZDIO004 12:60 offset=0']);
});

test('a descriptor a helper opens and hands back through a pointer starts at 0, also after F_SETFL adds O_DIRECT', async () => {
  const source = `#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
static int create_copy(const char *path, int *fdp) {
\tint fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
\tif (fd < 0)
\t\treturn -1;
\tint fl = fcntl(fd, F_GETFL);
\tfcntl(fd, F_SETFL, fl | O_DIRECT);
\t*fdp = fd;
\treturn 0;
}
static int put_meta(int fd, const char *map) {
\treturn write(fd, map, 8192) == 8192 ? 0 : -1;
}
int main(int argc, char **argv) {
\tstatic char map[8192] __attribute__((aligned(4096)));
\tint fd;
\tif (create_copy(argv[1], &fd) != 0)
\t\treturn 1;
\treturn put_meta(fd, map);
}
`;
  assert.deepEqual(await findings('', '', source), ['ZDIO004 14:24 offset=0']);
  // the helper writes one byte before it hands the descriptor back (its own findings there): the
  // caller's helper then writes at offset 1
  const written = source.replace('\t*fdp = fd;', '\twrite(fd, "x", 1);\n\t*fdp = fd;');
  assert.deepEqual(await findings('', '', written), ['ZDIO001 10:12 offset=-', 'ZDIO002 10:17 offset=-', 'ZDIO003 22:18 offset=1']);
  // two stores at two positions (0 on one path, 1 on the other): no one position at the caller
  const either = source.replace('\t*fdp = fd;', '\tif (path[0] == \'-\') {\n\t\t*fdp = fd;\n\t\treturn 0;\n\t}\n\twrite(fd, "x", 1);\n\t*fdp = fd;');
  const got = await findings('', '', either);
  assert.ok(got.some((f) => f.startsWith('ZDIO001 14:')), `the helper's own write is O_DIRECT: ${got.join(', ')}`);
  assert.ok(!got.some((f) => /^ZDIO00[34]/.test(f)), got.join(', '));
});

test('a descriptor passed on through two helpers keeps the position of the outermost caller, plus each one\'s moves', async () => {
  const helpers = `${PUT}
static ssize_t put_twice(int fd, const char *buf) {
\twrite(fd, buf, 131072);
\treturn put(fd, buf, 131072);
}`;
  assert.deepEqual(await findings(helpers, '\tput_twice(fd, page);'), []);
  // put()'s length is put_twice()'s; where it writes, 131072, only main() knows: the finding is at the
  // call in put_twice() that passes the partial record
  const partial = helpers.replace('return put(fd, buf, 131072);', 'return put(fd, buf, 65536);');
  assert.deepEqual(await findings(partial, '\tput_twice(fd, page);'), ['ZDIO004 11:22 offset=131072']);
  assert.deepEqual(await findings(partial, '\twrite(fd, page, (size_t)atoi(argv[2]));\n\tput_twice(fd, page);'), []);
});

test('a field the caller sets on its own struct variable is what a helper reads through a pointer to it', async () => {
  const source = `#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
struct env { int fd; unsigned psize; char *map; };
static int copy_meta(struct env *env) {
\treturn write(env->fd, env->map, (size_t)env->psize * 2) < 0;
}
int main(int argc, char **argv) {
\tstatic char map[1 << 16] __attribute__((aligned(4096)));
\tstruct env env;
\tmemset(&env, 0, sizeof(env));
\tenv.psize = 4096;
\tenv.map = map;
\tenv.fd = open(argv[1], O_WRONLY | O_DIRECT);
\treturn copy_meta(&env);
}
`;
  const r = await analyzeText(source, 'c', DEFAULT_SETTINGS, { fileName: '/x/field.c' });
  const site = r.sites.find((s) => s.kind === 'o_direct_io');
  assert.ok(site, 'the write is a site');
  assert.ok(!(site.unknowns ?? []).some((u) => u.value === 'length'), `the length is known: ${JSON.stringify(site.unknowns)}`);
  // a second write of the field elsewhere: which one the helper sees is not known
  const twice = await analyzeText(source.replace('\treturn copy_meta(&env);', '\tenv.psize = 512;\n\treturn copy_meta(&env);'), 'c', DEFAULT_SETTINGS, { fileName: '/x/field.c' });
  assert.ok(twice.sites.find((s) => s.kind === 'o_direct_io')?.unknowns?.some((u) => u.value === 'length'));
});

test('a helper moves the descriptor by its reads and writes for the call\'s arguments; a failure check may return early', async () => {
  const header = `static int write_header(int fd, size_t n) {
\tif (write(fd, page_of_header, n) != (ssize_t)n)
\t\treturn -1;
\treturn 0;
}
static char page_of_header[4096] __attribute__((aligned(4096)));`;
  // declared after use would not compile: put the buffer first
  const helpers = `${header.split('\n').slice(-1)[0]}\n${header.split('\n').slice(0, -1).join('\n')}\n${PUT}`;
  // lines: the buffer 6, write_header 7-11, put 12-14, main 15, steps from 18
  const got = await findings(helpers, '\tif (write_header(fd, 4096) < 0)\n\t\treturn 1;\n\tput(fd, page, 131072);');
  // the header's partial record is the call's length (line 18); put() then writes 4096 into a record
  assert.deepEqual(got, ['ZDIO004 18:23 offset=0', 'ZDIO004 20:6 offset=4096']);
  // a whole record of header: put() then starts on a record boundary
  assert.deepEqual(await findings(helpers, '\twrite_header(fd, 131072);\n\tput(fd, page, 131072);'), []);
});

test('a helper whose move is not known: a write on one branch, a return that is no failure, a length nobody knows', async () => {
  // what is reported on put()'s descriptor argument (column 6 of its step): nothing, the position is unknown
  const atPut = async (helper: string, step: string) => (await findings(`${helper}\n${PUT}`, `${step}\n\tput(fd, page, 131072);`)).filter((f) => / \d+:6 /.test(f));
  assert.deepEqual(await atPut('static void maybe(int fd, int flag) {\n\tif (flag)\n\t\twrite(fd, "x", 1);\n}', '\tmaybe(fd, argc);'), []);
  assert.deepEqual(await atPut('static void early(int fd, int flag) {\n\tif (flag)\n\t\treturn;\n\twrite(fd, "x", 1);\n}', '\tearly(fd, argc);'), []);
  assert.deepEqual(await atPut('static void some(int fd) {\n\twrite(fd, "x", (size_t)getpid());\n}', '\tsome(fd);'), []);
  // a helper that calls itself: its move is not followed
  assert.deepEqual(await atPut('static void again(int fd, int n) {\n\twrite(fd, "x", 1);\n\tif (n)\n\t\tagain(fd, n - 1);\n}', '\tagain(fd, 2);'), []);
  // the same helpers with a known move do report there (the checks above are not vacuous)
  assert.deepEqual(await atPut('static void once(int fd) {\n\twrite(fd, "x", 1);\n}', '\tonce(fd);'), ['ZDIO003 16:6 offset=1']);
});

const withGlobal = (helpers: string, steps: string) => `#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
static int ofd = -1;
static char page[1 << 20] __attribute__((aligned(4096)));
static ssize_t put(size_t count) {
\treturn write(ofd, page, count);
}
${helpers}
int main(int argc, char **argv) {
\tofd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644);
${steps}
\treturn 0;
}
`;

test('a file-scope descriptor a helper writes to is where the caller left it', async () => {
  const got = async (helpers: string, steps: string) => findings('', '', withGlobal(helpers, steps));
  // lines: main's steps start at line 12 with no other helper
  assert.deepEqual(await got('', '\tput(65536);'), ['ZDIO004 12:6 offset=0']);
  assert.deepEqual(await got('', '\twrite(ofd, page, 4096);\n\tput(131072);'), ['ZDIO004 12:19 offset=0', 'ZDIO004 13:2 offset=4096']);
  // another function of the file that writes to the descriptor itself ran first: where it left it is not known
  const header = 'static void header(void) {\n\twrite(ofd, page, 4096);\n}';
  assert.deepEqual((await got(header, '\theader();\n\tput(131072);')).filter((f) => f.includes(':2 offset=')), []);
  // a function that does not touch it changes nothing
  const other = 'static int other(void) {\n\treturn 4;\n}';
  assert.deepEqual(await got(other, '\tother();\n\tput(65536);'), ['ZDIO004 15:6 offset=0']);
});

// A finding seen from a call tells its path in words after the rule's message, within MESSAGE_LIMIT:
// the whole path where it fits, else its first call in brief, else none; the whole path then ends the
// detail, and every place of it stays a related location. The rules' own words come first: most of
// their messages leave no room for a whole path, so a brief one is the common case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { MESSAGE_LIMIT } from '../../../src/core/analysis/rules/describe';
import { DEFAULT_SETTINGS } from '../../../src/core/types';

const lineOf = (text: string, marker: string): number => text.split('\n').findIndex((l) => l.includes(marker));

test('a path of one call is told in brief beside the rule, and whole in the detail', async () => {
  const text = `#define _GNU_SOURCE
#include <unistd.h>
static ssize_t cp(int a, int b, size_t n) {
\treturn copy_file_range(a, NULL, b, NULL, n, 0);
}
int main(void) {
\treturn cp(3, 4, 4096) < 0; /* call */
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS, { fileName: 'cp.c' });
  const f = r.findings.find((x) => x.ruleId === 'ZDIO010')!;
  assert.equal(f.range.start.line, lineOf(text, '/* call */'));
  assert.equal(f.message, 'copy_file_range len 4096 is not a multiple of recordsize 131072: copied, not cloned (via cp())');
  assert.match(f.detail!, /The whole path: passed to cp\(\), reaches copy_file_range\(\)\.$/);
});

test('a path through two calls names the first in brief; its places are all related locations', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static ssize_t write_block(int fd, const void *b, size_t n) {
\treturn pwrite(fd, b, n, 0); /* io */
}
static ssize_t append_record(int fd, const void *b, size_t n) {
\treturn write_block(fd, b, n); /* inner */
}
int main(void) {
\tint fd = open("j", O_WRONLY | O_DIRECT);
\tvoid *b;
\tif (posix_memalign(&b, 4096, 4096)) return 1;
\treturn append_record(fd, b, 100) < 0; /* call */
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS, { fileName: 'journal.c' });
  const f = r.findings.find((x) => x.ruleId === 'ZDIO002' && x.range.start.line === lineOf(text, '/* call */'))!;
  assert.ok(f, 'the length 100 is judged at the call that passes it');
  assert.ok(f.message.length <= MESSAGE_LIMIT, `${f.message.length}: ${f.message}`);
  assert.match(f.message, /^O_DIRECT write length 100 is not a multiple of page size 4096.*\(via append_record\(\) → …\)$/);
  assert.match(f.detail!, /The whole path: passed to append_record\(\) → write_block\(\), reaches pwrite\(\)\.$/);
  const related = (f.related ?? []).map((x) => x.range.start.line).sort((a, b) => a - b);
  assert.deepEqual(related, [lineOf(text, '/* io */'), lineOf(text, '/* inner */')].sort((a, b) => a - b));
});

test('a path whose brief form leaves the rule too little room is told only in the detail and the related locations', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static ssize_t write_one_block_to_the_journal(int fd, const void *b, size_t n) {
\treturn pwrite(fd, b, n, 0); /* io */
}
static ssize_t append_record_with_its_checksum(int fd, const void *b, size_t n) {
\treturn write_one_block_to_the_journal(fd, b, n); /* inner */
}
int main(void) {
\tint fd = open("j", O_WRONLY | O_DIRECT);
\tvoid *b;
\tif (posix_memalign(&b, 4096, 4096)) return 1;
\treturn append_record_with_its_checksum(fd, b, 100) < 0; /* call */
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS, { fileName: 'journal.c' });
  const f = r.findings.find((x) => x.ruleId === 'ZDIO002' && x.range.start.line === lineOf(text, '/* call */'))!;
  assert.ok(f, 'the length 100 is judged at the call that passes it');
  assert.ok(f.message.length <= MESSAGE_LIMIT, `${f.message.length}: ${f.message}`);
  assert.equal(f.message, 'O_DIRECT write length 100 is not a multiple of page size 4096: EINVAL on 2.3.x direct=standard, uncached on 2.4+');
  assert.match(f.detail!, /The whole path: passed to append_record_with_its_checksum\(\) → write_one_block_to_the_journal\(\), reaches pwrite\(\)\.$/);
  const related = (f.related ?? []).map((x) => x.range.start.line).sort((a, b) => a - b);
  assert.deepEqual(related, [lineOf(text, '/* io */'), lineOf(text, '/* inner */')].sort((a, b) => a - b));
});

// The file position in a helper that receives the descriptor (C): a dominating lseek(fd, x, SEEK_SET)
// sets it, to a number or to a parameter whose value the callers pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';

const program = (helperBody: string, calls: string) => `#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static int seek_read(int fd, char *buf, off_t offset, size_t count, int flag) {
${helperBody}
}
int main(void) {
\tint fd = open("f", O_RDWR | O_DIRECT);
\tchar *page = aligned_alloc(4096, 8192);
${calls}
\treturn 0;
}
`;

async function findings(helperBody: string, calls: string) {
  const r = await analyzeText(program(helperBody, calls), 'c', DEFAULT_SETTINGS, { fileName: '/x/pos.c' });
  return r.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}:${f.range.start.column + 1}`);
}

const SEEK_THEN_READ = '\tif (lseek(fd, offset, SEEK_SET) < 0)\n\t\treturn -1;\n\treturn read(fd, buf, count) < 0;';

test('an offset passed to a helper that seeks to it is the position of its read: the finding is at the caller', async () => {
  assert.deepEqual(await findings(SEEK_THEN_READ, '\tseek_read(fd, page, 1, 4096, 0);'), ['ZDIO003@12:22']);
  assert.deepEqual(await findings(SEEK_THEN_READ, '\tseek_read(fd, page, 4096, 4096, 0);\n\tseek_read(fd, page, 0, 8192, 0);'), []);
  // a known seek in the helper, then a read of known length moves it
  assert.deepEqual(await findings('\tlseek(fd, 4096, SEEK_SET);\n\tread(fd, buf, 512);\n\treturn read(fd, buf, 4096) < 0;',
    '\tseek_read(fd, page, 0, 0, 0);'), ['ZDIO002@6:16', 'ZDIO003@7:9']);
});

test('a seek that not every path takes, an unknown move in between, or an unknown offset: the position is unknown', async () => {
  const conditional = '\tif (flag)\n\t\tlseek(fd, offset, SEEK_SET);\n\treturn read(fd, buf, count) < 0;';
  assert.deepEqual(await findings(conditional, '\tseek_read(fd, page, 1, 4096, 1);'), []);
  const moved = '\tlseek(fd, offset, SEEK_SET);\n\tread(fd, buf, count);\n\treturn read(fd, buf, 4096) < 0;';
  assert.deepEqual(await findings(moved, '\tseek_read(fd, page, 0, 4096, 0);'), [], 'count is known at the call, but the second read is judged in the helper alone');
  const cur = '\tlseek(fd, offset, SEEK_CUR);\n\treturn read(fd, buf, 4096) < 0;';
  assert.deepEqual(await findings(cur, '\tseek_read(fd, page, 1, 0, 0);'), [], 'SEEK_CUR from an unknown position');
  assert.deepEqual(await findings(SEEK_THEN_READ, '\tseek_read(fd, page, strtol("1", 0, 10), 4096, 0);'), []);
});

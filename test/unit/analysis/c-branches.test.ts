// Branches that belong together (C/C++): the values an O_DIRECT call sees are those of the branch
// that added O_DIRECT to its descriptor's flags; the other branch only ever runs buffered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';

const program = (branches: string) => `#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
int first_block(const char *path, int direct, int other) {
\tint flags = O_RDONLY;
\tsize_t n = 0;
\tchar *buf;
${branches}
\tint fd = open(path, flags);
\tif (posix_memalign((void **)&buf, 4096, 65536)) return -1;
\treturn read(fd, buf, n) < 0;
}
`;

async function findings(branches: string) {
  const r = await analyzeText(program(branches), 'c', DEFAULT_SETTINGS, { fileName: '/x/branches.c' });
  assert.equal(r.sites.filter((s) => s.kind === 'o_direct_io').length, 1, 'the read is an O_DIRECT site');
  return r.findings.map((f) => `${f.ruleId}: ${f.message}`);
}

test('the length set on the branch that adds O_DIRECT is the O_DIRECT read\'s length', async () => {
  const f = await findings('\tif (direct) {\n\t\tflags |= O_DIRECT;\n\t\tn = 512;\n\t} else {\n\t\tn = 100;\n\t}');
  assert.equal(f.length, 1);
  assert.match(f[0]!, /^ZDIO002: .*length 512 /);
  // O_DIRECT on the else arm
  const g = await findings('\tif (!direct) {\n\t\tn = 4096;\n\t} else {\n\t\tflags |= O_DIRECT;\n\t\tn = 100;\n\t}');
  assert.match(g.join(), /^ZDIO002: .*length 100 /);
  // without an else: the arm's assignment hides the value before the if on the O_DIRECT path
  const h = await findings('\tn = 4096;\n\tif (direct) {\n\t\tflags |= O_DIRECT;\n\t\tn = 1000;\n\t}');
  assert.match(h.join(), /^ZDIO002: .*length 1000 /);
});

test('an aligned length on the O_DIRECT branch is fine, whatever the buffered branch does', async () => {
  assert.deepEqual(await findings('\tif (direct) {\n\t\tflags |= O_DIRECT;\n\t\tn = 4096;\n\t} else {\n\t\tn = 100;\n\t}'), []);
  assert.deepEqual(await findings('\tn = 8192;\n\tif (direct)\n\t\tflags |= O_DIRECT;'), [], 'nothing reassigned on the branch: 8192 on every path');
});

test('no correlation where the branch does not decide O_DIRECT: values that disagree stay unknown', async () => {
  // O_DIRECT on every path
  assert.deepEqual(await findings('\tflags |= O_DIRECT;\n\tif (direct) {\n\t\tn = 512;\n\t} else {\n\t\tn = 100;\n\t}'), []);
  // the length is decided by another condition inside the O_DIRECT arm
  assert.deepEqual(await findings('\tn = 4096;\n\tif (direct) {\n\t\tflags |= O_DIRECT;\n\t\tif (other)\n\t\t\tn = 512;\n\t}'), []);
  // a length decided by another if after the flags
  assert.deepEqual(await findings('\tif (direct)\n\t\tflags |= O_DIRECT;\n\tif (other)\n\t\tn = 512;\n\telse\n\t\tn = 100;'), []);
  // O_DIRECT from two branches
  assert.deepEqual(await findings('\tif (direct) {\n\t\tflags |= O_DIRECT;\n\t\tn = 512;\n\t} else if (other) {\n\t\tflags |= O_DIRECT;\n\t\tn = 100;\n\t}'), []);
});

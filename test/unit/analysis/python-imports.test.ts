// Python across the modules of a project: constants, classes and helpers that an imported module
// defines, reached through `import`, `from … import`, relative imports and re-exports, with the real
// WorkspaceIndex over files in a temporary folder.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { WorkspaceIndex } from '../../../src/core/analysis/workspace';
import { blankPython, importSpecs, PYTHON_IMPORT_FILES } from '../../../src/core/analysis/workspace/python-imports';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { findingKeys } from './rust-go-python-helpers';
import { analyzeIn, checkInProject, makeProject, type Project } from './workspace-helpers';
import { inFull } from '../../support/told';

const CONSTS = `import os

O_FLAGS = os.O_RDWR | os.O_DIRECT
PAGE = 4096
SECTOR = 512
FROM_CALL = os.environ.get("FLAGS")
`;

const FILE = `import os

from .consts import O_FLAGS


class DirectFile:
    def __init__(self, path):
        self._fd = os.open(path, O_FLAGS)

    def read_at(self, buf, offset):
        return os.preadv(self._fd, [buf], offset)

    def close(self):
        os.close(self._fd)
        self._fd = None
`;

const BUFFERS = `import mmap

from . import consts


def aligned(size):
    return mmap.mmap(-1, consts.PAGE * max(1, size // consts.PAGE))


def heap(size):
    return bytearray(size)
`;

const TOOL = `import os

import pkg.consts as c
from pkg import DirectFile, aligned, heap
from pkg.consts import O_FLAGS, SECTOR


def run(path):
    fd = os.open(path, O_FLAGS)  # => o_direct_open os.open
    buf = aligned(4096)
    os.pwrite(fd, buf, SECTOR)  # => o_direct_io os.pwrite | ZDIO003
    os.pwrite(fd, buf, c.PAGE * 32)  # => o_direct_io os.pwrite
    os.pwrite(fd, heap(4096), 0)  # => o_direct_io os.pwrite | ZDIO001
    f = DirectFile(path)
    f.read_at(memoryview(aligned(8192))[:4096], 0)
    f.read_at(bytearray(4096), 0)  # => | ZDIO001
    f.read_at(memoryview(aligned(8192))[:SECTOR], 0)  # => | ZDIO002
    f.read_at(memoryview(aligned(8192))[:4096], c.SECTOR)  # => | ZDIO003
`;

function project(): Project {
  return makeProject({
    'pkg/__init__.py': 'from .file import DirectFile\nfrom .buffers import aligned, heap\n',
    'pkg/consts.py': CONSTS,
    'pkg/file.py': FILE,
    'pkg/buffers.py': BUFFERS,
    'pkg/sub/__init__.py': '',
    // A relative import two packages up, and a module of the package imported as a submodule.
    'pkg/sub/job.py': `import os

from ..consts import O_FLAGS, SECTOR
from .. import consts


def job(path, buf):
    fd = os.open(path, O_FLAGS)  # => o_direct_open os.open
    os.pwrite(fd, buf, SECTOR)  # => o_direct_io os.pwrite | ZDIO003
    os.pwrite(fd, buf, consts.SECTOR * 8)  # => o_direct_io os.pwrite
`,
    'tool.py': TOOL,
    // A name of this file, a parameter and an import that leads nowhere hide the imported one.
    'shadow.py': `import os

from pkg.consts import O_FLAGS, SECTOR
from nowhere import LENGTH

SECTOR = 4096


def run(path, buf, offset):
    fd = os.open(path, O_FLAGS)  # => o_direct_open os.open
    os.pwrite(fd, buf, SECTOR)  # => o_direct_io os.pwrite
    os.pwrite(fd, buf, LENGTH)  # => o_direct_io os.pwrite


def again(path, buf, O_FLAGS):
    fd = os.open(path, O_FLAGS)
    os.pwrite(fd, buf, 512)
`,
    // A value only the environment knows is no flag; a project file named like a module the
    // extractor knows (mmap) does not replace it.
    'unknown.py': `import os
import mmap

from pkg.consts import FROM_CALL, O_FLAGS


def run(path):
    fd = os.open(path, FROM_CALL)
    os.pwrite(fd, bytearray(100), 1)
    direct = os.open(path, O_FLAGS)  # => o_direct_open os.open
    os.pwrite(direct, mmap.mmap(-1, 131072), 0)  # => o_direct_io os.pwrite
`,
    'mmap.py': 'def mmap(*args):\n    return bytearray(100)\n',
    // Module state: a flag made O_DIRECT under an if, a number a function changes.
    'journal.py': `import os

FLAGS = os.O_RDWR
if os.environ.get("DIRECT") == "1":
    FLAGS |= os.O_DIRECT
SIZE = 512


def grow():
    global SIZE
    SIZE = 4096
`,
    'use_journal.py': `import mmap
import os

from journal import FLAGS, SIZE


def run(path):
    fd = os.open(path, FLAGS)  # => o_direct_open os.open
    os.pwrite(fd, memoryview(mmap.mmap(-1, 131072))[:SIZE], 0)  # => o_direct_io os.pwrite
`,
    // Two modules that import each other's names: nothing known, no endless lookup.
    'loop_a.py': 'from loop_b import SIZE\n',
    'loop_b.py': 'from loop_a import SIZE\n',
    'cycle.py': `import os

from loop_a import SIZE
from pkg.consts import O_FLAGS


def run(path, buf):
    fd = os.open(path, O_FLAGS)  # => o_direct_open os.open
    os.pwrite(fd, buf, SIZE)  # => o_direct_io os.pwrite
`,
  });
}

describe('Python: names of the modules a file imports', () => {
  const p = project();
  after(() => p.remove());
  const read = (rel: string): string => readFileSync(path.join(p.dir, rel), 'utf8');

  it('reads constants, helpers and classes through from-imports, module aliases and a package\'s re-exports', async () => {
    const result = await checkInProject(p, 'tool.py', 'python', TOOL);
    const at = (line: number, rule: string) => result.findings.find((f) => f.range.start.line === line - 1 && f.ruleId === rule)!;
    assert.match(inFull(at(16, 'ZDIO001')), /\(passed to pkg\.file:DirectFile\.read_at\(\), reaches os\.preadv\(\) in file\.py\)$/);
    // The I/O it reaches is a related place of pkg/file.py, on that file's own line.
    const preadvLine = read('pkg/file.py').split('\n').findIndex((l) => l.includes('os.preadv('));
    assert.deepEqual(at(16, 'ZDIO001').related?.filter((r) => r.file).map((r) => [r.file, r.range.start.line, r.message]),
      [[path.join(p.dir, 'pkg', 'file.py'), preadvLine, 'os.preadv() receives it here']]);
    // The finding is in this file, and so is each related place without a file; the site it stands for is the call.
    for (const f of result.findings) {
      assert.ok(f.range.start.line < TOOL.split('\n').length);
      for (const r of f.related ?? []) {
        // A place in an imported module carries its file and that file's own lines.
        if (r.file) assert.ok(r.range.start.line < read(path.relative(p.dir, r.file)).split('\n').length, r.file);
        else assert.ok(r.range.start.line < TOOL.split('\n').length);
      }
      for (const fix of f.fixes) for (const e of fix.edits) assert.ok(e.range.start.line < TOOL.split('\n').length);
    }
    assert.equal(at(16, 'ZDIO001').site.range.start.line, 15);
    // Sites of the imported modules are not this file's.
    assert.ok(result.sites.every((s) => s.range.start.line < TOOL.split('\n').length));
  });

  it('knows nothing of the imported modules without the index', async () => {
    const alone = await analyzeText(TOOL, 'python', DEFAULT_SETTINGS, { fileName: path.join(p.dir, 'tool.py') });
    assert.deepEqual(alone.sites, []);
    assert.deepEqual(findingKeys(alone), []);
  });

  it('resolves relative imports through the __init__.py chain', async () => {
    await checkInProject(p, 'pkg/sub/job.py', 'python', read('pkg/sub/job.py'));
  });

  it('lets a name of the file, a parameter and an unresolved import hide the imported value', async () => {
    await checkInProject(p, 'shadow.py', 'python', read('shadow.py'));
  });

  it('keeps unknown values unknown and never takes a project file for a module the extractor knows', async () => {
    await checkInProject(p, 'unknown.py', 'python', read('unknown.py'));
  });

  it('reads an imported module\'s state as what the module and its functions store', async () => {
    await checkInProject(p, 'use_journal.py', 'python', read('use_journal.py'));
  });

  it('follows a change of an imported module between two analyses with one index', async () => {
    const index = new WorkspaceIndex({ roots: [p.dir] });
    const keys = async () => findingKeys(await analyzeIn(p, 'tool.py', 'python', TOOL, index));
    const before = await keys();
    assert.ok(before.includes('11 ZDIO003') && before.includes('17 ZDIO002'));
    p.write('pkg/consts.py', CONSTS.replace('SECTOR = 512', 'SECTOR = 4096'));
    index.filesChanged([path.join(p.dir, 'pkg/consts.py')]);
    const after = await keys();
    assert.ok(!after.includes('11 ZDIO003') && !after.includes('17 ZDIO002') && after.includes('16 ZDIO001'));
    p.write('pkg/consts.py', CONSTS);
    index.filesChanged([path.join(p.dir, 'pkg/consts.py')]);
    assert.deepEqual(await keys(), before);
  });

  it('follows a cycle of imports to nothing, and quickly', async () => {
    const started = Date.now();
    await checkInProject(p, 'cycle.py', 'python', read('cycle.py'));
    assert.ok(Date.now() - started < 5000);
  });

  it('analyses a module of the package with its own imports', async () => {
    const result = await analyzeIn(p, 'pkg/file.py', 'python', FILE);
    assert.deepEqual(result.sites.map((s) => `${s.range.start.line + 1} ${s.kind}`), ['8 o_direct_open', '11 o_direct_io']);
  });

  it('does not read a module outside the project folder', async () => {
    const outer = makeProject({ 'ext.py': 'import os\nO_FLAGS = os.O_RDWR | os.O_DIRECT\n', 'proj/tool.py': 'import os\nfrom ext import O_FLAGS\nfd = os.open("x", O_FLAGS)\n' });
    try {
      const index = new WorkspaceIndex({ roots: [path.join(outer.dir, 'proj')] });
      assert.equal(index.contextFor(path.join(outer.dir, 'proj/tool.py'), 'python', 'import os\nfrom ext import O_FLAGS\n'), undefined);
      const result = await analyzeText('import os\nfrom ext import O_FLAGS\nfd = os.open("x", O_FLAGS)\n', 'python', DEFAULT_SETTINGS, { fileName: path.join(outer.dir, 'proj/tool.py'), workspace: index });
      assert.deepEqual(result.sites, []);
    } finally {
      outer.remove();
    }
  });

  it('builds a context by the contract: files read, a key that follows their texts, mentionsSites', () => {
    const index = new WorkspaceIndex({ roots: [p.dir] });
    const file = path.join(p.dir, 'tool.py');
    const ctx = index.contextFor(file, 'python', TOOL)!;
    assert.deepEqual([...ctx.files].sort(), ['pkg/__init__.py', 'pkg/buffers.py', 'pkg/consts.py', 'pkg/file.py'].map((f) => path.join(p.dir, f)));
    assert.equal(ctx.mentionsSites, true);
    assert.equal(index.contextFor(file, 'python', TOOL)!.key, ctx.key);
    p.write('pkg/consts.py', CONSTS.replace('SECTOR = 512', 'SECTOR = 1024'));
    index.filesChanged([path.join(p.dir, 'pkg/consts.py')]);
    assert.notEqual(index.contextFor(file, 'python', TOOL)!.key, ctx.key);
    p.write('pkg/consts.py', CONSTS);
    index.filesChanged([path.join(p.dir, 'pkg/consts.py')]);
    assert.equal(index.contextFor(file, 'python', TOOL)!.key, ctx.key);
    // Only a module without site text: nothing for the prefilter.
    const quiet = index.contextFor(file, 'python', 'import loop_a\n')!;
    assert.deepEqual([...quiet.files].sort(), ['loop_a.py', 'loop_b.py'].map((f) => path.join(p.dir, f)));
    assert.equal(quiet.mentionsSites, false);
    assert.equal(index.contextFor(file, 'python', 'import os\nimport json\n'), undefined);
    // A module that appears where an import found none is found once the index hears of it.
    const later = 'from later import X\n';
    assert.equal(index.contextFor(file, 'python', later), undefined);
    p.write('later.py', 'X = 1\n');
    index.filesChanged([path.join(p.dir, 'later.py')]);
    assert.deepEqual(index.contextFor(file, 'python', later)?.files, [path.join(p.dir, 'later.py')]);
  });

  it('in a snapshot, finds a module that appears where an import from the same folder found none, once told', () => {
    const index = new WorkspaceIndex({ roots: [p.dir], snapshot: true });
    const one = path.join(p.dir, 'one.py');
    const two = path.join(p.dir, 'two.py');
    const text = 'from appears import FLAGS\n';
    assert.equal(index.contextFor(one, 'python', text), undefined);
    p.write('appears.py', 'import os\nFLAGS = os.O_DIRECT\n');
    index.filesChanged([path.join(p.dir, 'appears.py')]);
    // the folder's lookup of `appears` found nothing before: a second file of the folder must not reuse that
    const ctx = index.contextFor(two, 'python', text);
    assert.deepEqual(ctx?.files, [path.join(p.dir, 'appears.py')]);
    assert.equal(ctx?.mentionsSites, true);
    rmSync(path.join(p.dir, 'appears.py'));
  });

  it('reads a bounded number of module files', () => {
    const many: Record<string, string> = {};
    const names = Array.from({ length: PYTHON_IMPORT_FILES + 10 }, (_, i) => `m${i}`);
    for (const n of names) many[`${n}.py`] = 'X = 1\n';
    const big = makeProject(many);
    try {
      const index = new WorkspaceIndex({ roots: [big.dir] });
      const ctx = index.contextFor(path.join(big.dir, 'main.py'), 'python', names.map((n) => `import ${n}`).join('\n'))!;
      assert.equal(ctx.files.length, PYTHON_IMPORT_FILES);
    } finally {
      big.remove();
    }
  });

  it('is found by dist/cli.js scan of the project folder, in the importing files only', () => {
    const cli = path.join(process.env.ZFS_DIO_ROOT!, 'dist/cli.js');
    const r = spawnSync(process.execPath, [cli, 'scan', p.dir, '--format', 'json', '--page-size', '4096', '--recordsize', '131072'], { encoding: 'utf8', timeout: 120_000 });
    const out = JSON.parse(r.stdout) as { findings: { file: string; line: number; ruleId: string }[] };
    const found = out.findings.map((f) => `${path.relative(p.dir, path.resolve(f.file))}:${f.line} ${f.ruleId}`).sort();
    assert.deepEqual(found, [
      'pkg/sub/job.py:9 ZDIO003',
      'tool.py:11 ZDIO003', 'tool.py:13 ZDIO001', 'tool.py:16 ZDIO001', 'tool.py:17 ZDIO002', 'tool.py:18 ZDIO003',
    ].sort());
  });
});

describe('Python import text, read without a parse', () => {
  it('finds the specs of import statements, not those in comments or strings', () => {
    const text = blankPython('import a.b.c as d, e\n# import nope\ns = "from nope import x"\n"""\nimport nope2\n"""\nfrom . import f, g as h\nfrom ..i.j import (\n    k,\n    l as m,\n)\nfrom .n import *\nif x: import o\n');
    const specs = importSpecs(text).sort();
    assert.deepEqual(specs, ['.', '.f', '.g', '..i.j', '..i.j.k', '..i.j.l', '.n', 'a', 'a.b', 'a.b.c', 'e', 'o'].sort());
  });
});

// What the workspace index reads from the disk: the bytes a snapshot reader hands to the scan (so that a
// file the index read for another file's context is not read a second time), and the reads it skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiskFileReader, MAX_INDEXED_FILE_BYTES } from '../../../src/core/analysis/workspace/files';

function withFile(bytes: Buffer, run: (abs: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zdio-reader-'));
  try {
    const abs = path.join(dir, 'a.go');
    writeFileSync(abs, bytes);
    run(abs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a snapshot reader hands out the bytes it read once, BOM included, while the text drops the BOM', () => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('package a\n')]);
  withFile(bytes, (abs) => {
    const reader = new DiskFileReader(true);
    assert.equal(reader.takeBytes(abs), undefined, 'nothing read yet');
    assert.equal(reader.readText(abs), 'package a\n');
    assert.deepEqual(reader.takeBytes(abs), bytes);
    assert.equal(reader.takeBytes(abs), undefined, 'handed out once');
    assert.equal(reader.readText(abs), 'package a\n', 'the text stays remembered');
  });
});

test('a reader outside a snapshot, a forgotten file and a file too large to index give no bytes', () => {
  withFile(Buffer.from('package a\n'), (abs) => {
    const live = new DiskFileReader(false);
    assert.equal(live.readText(abs), 'package a\n');
    assert.equal(live.takeBytes(abs), undefined, 'the disk may have changed since');
    const snapshot = new DiskFileReader(true);
    snapshot.readText(abs);
    snapshot.forget([abs]);
    assert.equal(snapshot.takeBytes(abs), undefined);
    snapshot.readText(abs);
    snapshot.forget();
    assert.equal(snapshot.takeBytes(abs), undefined);
  });
  withFile(Buffer.alloc(MAX_INDEXED_FILE_BYTES + 1, 0x20), (abs) => {
    const reader = new DiskFileReader(true);
    assert.equal(reader.readText(abs), undefined);
    assert.equal(reader.takeBytes(abs), undefined);
  });
});

test('a header that defines no I/O helper does not read the sources of its project; one that does reads its includers', async () => {
  const { WorkspaceIndex } = await import('../../../src/core/analysis/workspace');
  const { mkdirSync } = await import('node:fs');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zdio-includers-'));
  try {
    mkdirSync(path.join(dir, 'src'));
    const macrosOnly = '#define BLOCK 4096\n';
    const helper = '#include <fcntl.h>\nstatic inline int open_direct(const char *p) { return open(p, O_RDONLY | O_DIRECT); }\n';
    writeFileSync(path.join(dir, 'src', 'macros.h'), macrosOnly);
    writeFileSync(path.join(dir, 'src', 'helper.h'), helper);
    writeFileSync(path.join(dir, 'src', 'main.c'), '#include "macros.h"\n#include "helper.h"\nint main(void) { return open_direct("f"); }\n');
    const sourcesRead = (header: string, text: string): string[] => {
      const inner = new DiskFileReader(true);
      const read: string[] = [];
      const reader = { ...inner, readText: (abs: string) => { if (abs.endsWith('.c')) read.push(path.basename(abs)); return inner.readText(abs); },
        listDir: (abs: string) => inner.listDir(abs), isFile: (abs: string) => inner.isFile(abs), forget: (p?: readonly string[]) => inner.forget(p) };
      const index = new WorkspaceIndex({ roots: [dir], snapshot: true }, reader);
      index.contextFor(path.join(dir, 'src', header), 'c', text);
      return read;
    };
    assert.deepEqual(sourcesRead('macros.h', macrosOnly), []);
    assert.ok(sourcesRead('helper.h', helper).includes('main.c'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

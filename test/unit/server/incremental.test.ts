import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../src/core/analysis/parse';
import { editFromChange, TreeStore, type ContentChange, type EditableTree } from '../../../src/server/incremental';
import type { Language } from '../../../src/core/types';

/** A VS Code content change replacing [offset, offset+length) of `text`, with positions computed like VS Code does. */
function change(text: string, offset: number, length: number, insert: string): ContentChange {
  const pos = (o: number) => {
    const before = text.slice(0, o);
    const line = before.split('\n').length - 1;
    return { line, character: o - (before.lastIndexOf('\n') + 1) };
  };
  return { range: { start: pos(offset), end: pos(offset + length) }, rangeOffset: offset, rangeLength: length, text: insert };
}
const apply = (text: string, c: ContentChange) => text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);

test('edit positions: single-line insert, multi-line insert, deletion across lines', () => {
  const text = 'ab\ncdé\nfg';
  assert.deepEqual(editFromChange(change(text, 4, 0, 'XY')), {
    startIndex: 4, oldEndIndex: 4, newEndIndex: 6,
    startPosition: { row: 1, column: 1 }, oldEndPosition: { row: 1, column: 1 }, newEndPosition: { row: 1, column: 3 },
  });
  assert.deepEqual(editFromChange(change(text, 1, 0, 'q\nrs\nt')).newEndPosition, { row: 2, column: 1 });
  const del = editFromChange(change(text, 1, 6, ''));
  assert.deepEqual([del.oldEndPosition, del.newEndPosition, del.oldEndIndex, del.newEndIndex], [{ row: 2, column: 0 }, { row: 0, column: 1 }, 7, 1]);
});

// Incremental re-parse must give exactly the tree a full parse gives, including with non-ASCII text.
const scripts: Record<Language, { text: string; edits: [string, number, string][] }> = {
  c: {
    text: '#include <fcntl.h>\n/* é */\nint f(int fd) {\n  char buf[4096];\n  return pread(fd, buf, 4096, 0);\n}\n',
    edits: [['4096, 0', 0, '4095, 0'], ['return', 0, 'ssize_t n = 1;\n  '], ['char buf', 5, '\u00e9\u00e9'], ['pread(fd, buf, ', 15, '']],
  },
  cpp: {
    text: 'void g(int a, int b) { ::copy_file_range(a, nullptr, b, nullptr, 196608, 0); }\n',
    edits: [['196608', 6, '262144'], ['void', 0, '// 🙂 emoji\n'], ['nullptr, b', 0, '&off, b']],
  },
  rust: {
    text: 'fn f() { let v = vec![0u8; 4096]; file.read_at(&mut v, 17).unwrap(); }\n',
    edits: [['17', 2, '4096'], ['let v', 0, 'let x = 1;\n    ']],
  },
  go: {
    text: 'package p\n\nfunc f() {\n\tunix.CopyFileRange(a, nil, b, nil, 4096, 0)\n}\n',
    edits: [['4096', 4, '131072'], ['func f', 0, '// ünïcode\n']],
  },
  python: {
    text: 'import os\nfd = os.open("f", os.O_RDONLY | os.O_DIRECT)\ndata = os.pread(fd, 4096, 17)\n',
    edits: [['17', 2, '0'], ['data', 0, 'x = "ß"\n'], ['import os\n', 10, '']],
  },
};

for (const [lang, { text: initial, edits }] of Object.entries(scripts) as [Language, typeof scripts[Language]][]) {
  test(`incremental ${lang} re-parse matches a full parse after every edit`, async () => {
    let text = initial;
    let tree = await parse(lang, text);
    const store = new TreeStore<typeof tree>();
    store.put('doc', 1, tree);
    let version = 1;
    for (const [anchor, length, insert] of edits) {
      const offset = text.indexOf(anchor);
      assert.ok(offset >= 0, `anchor ${anchor} found`);
      const c = change(text, offset, length, insert);
      text = apply(text, c);
      store.applyChanges('doc', ++version, [c]);
      const old = store.take('doc', version);
      assert.ok(old, 'the tree matches the new version');
      tree = await parse(lang, text, old);
      old.delete();
      const full = await parse(lang, text);
      assert.equal(tree.rootNode.toString(), full.rootNode.toString(), `after inserting ${JSON.stringify(insert)}`);
      assert.equal(tree.rootNode.text, text);
      full.delete();
      store.put('doc', version, tree);
    }
    store.dropAll();
  });
}

class FakeTree implements EditableTree {
  edits = 0; deleted = false;
  edit(): void { this.edits++; }
  delete(): void { this.deleted = true; }
}
const c0 = change('abc', 1, 0, 'x');

test('a tree is handed out once, only for its exact version, and dropped trees are deleted', () => {
  const store = new TreeStore<FakeTree>();
  const t1 = new FakeTree();
  store.put('d', 3, t1);
  store.applyChanges('d', 4, [c0, c0]);
  assert.equal(t1.edits, 2);
  assert.equal(store.take('d', 4), t1);
  assert.equal(store.take('d', 4), undefined, 'taken: an edit arriving during the analysis cannot touch it');

  const t2 = new FakeTree();
  store.put('d', 4, t2);
  store.applyChanges('d', 6, [c0]);    // version gap: an event was missed
  assert.ok(t2.deleted);
  assert.equal(store.has('d'), false);

  const t3 = new FakeTree();
  store.put('d', 7, t3);
  assert.equal(store.take('d', 8), undefined);
  assert.ok(t3.deleted, 'a tree for another version is deleted, not reused');

  const t4 = new FakeTree(); const t5 = new FakeTree();
  store.put('d', 1, t4); store.put('d', 2, t5);
  assert.ok(t4.deleted && !t5.deleted, 'replacing a tree deletes the old one');
  store.dropAll();
  assert.ok(t5.deleted);
  assert.equal(store.size, 0);
});

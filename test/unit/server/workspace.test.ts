// The editor's workspace rules on their own: the index configuration it derives from the folders and
// the setting, what it watches, and which open documents a change on disk sends back to the analysis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentsToRecheck, watchGlobFor, workspaceConfigFor } from '../../../src/server/workspace';

test('the index configuration: folders as roots, compileCommands relative to the first folder', () => {
  assert.equal(workspaceConfigFor([], 'build/compile_commands.json'), undefined, 'no folder: no index');
  assert.deepEqual(workspaceConfigFor(['/p/a', '/p/b'], undefined), { roots: ['/p/a', '/p/b'] });
  assert.deepEqual(workspaceConfigFor(['/p/a'], 'out/cc.json'), { roots: ['/p/a'], compileCommands: '/p/a/out/cc.json' });
  assert.deepEqual(workspaceConfigFor(['/p/a'], '${workspaceFolder}/cc.json'), { roots: ['/p/a'], compileCommands: '/p/a/cc.json' });
  assert.deepEqual(workspaceConfigFor(['/p/a'], '/abs/cc.json'), { roots: ['/p/a'], compileCommands: '/abs/cc.json' });
});

test('the watch glob covers every source ending once and the build descriptions', () => {
  assert.equal(watchGlobFor(['.c', '.h', '.go', '.h']), '**/{*.{c,go,h},compile_commands.json,Cargo.toml,go.mod}');
});

test('a changed file re-checks the documents that read it; a created or deleted one re-checks them all', () => {
  const docs = [
    { key: 'a', workspaceFiles: ['/p/sizes.h'] },
    { key: 'b', workspaceFiles: ['/p/other.h'] },
    { key: 'c' },
  ];
  assert.deepEqual(documentsToRecheck([], docs), []);
  assert.deepEqual(documentsToRecheck([{ path: '/p/sizes.h', kind: 'changed' }], docs), ['a']);
  assert.deepEqual(documentsToRecheck([{ path: '/p/unused.h', kind: 'changed' }], docs), []);
  assert.deepEqual(documentsToRecheck([{ path: '/p/new.h', kind: 'created' }], docs), ['a', 'b', 'c']);
  assert.deepEqual(documentsToRecheck([{ path: '/p/sizes.h', kind: 'deleted' }, { path: '/p/x.h', kind: 'changed' }], docs), ['a', 'b', 'c']);
});

// Findings as LSP diagnostics: the related places keep their own file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { toDiagnostic } from '../../../src/server/convert';
import type { Finding, Site } from '../../../src/core/types';

const site: Site = { kind: 'o_direct_io', language: 'c', callee: 'write', range: { start: { line: 9, column: 1 }, end: { line: 9, column: 30 } } };

test('a related place in another file points into that file; one without a file, into the finding\'s document', () => {
  const finding: Finding = {
    ruleId: 'ZDIO002', severity: 'warning', message: 'O_DIRECT write length 1 … (passed to do_write(), reaches write() in helpers.h)',
    range: { start: { line: 9, column: 20 }, end: { line: 9, column: 21 } }, site, derived: {}, fixes: [],
    related: [
      { range: { start: { line: 3, column: 8 }, end: { line: 3, column: 40 } }, message: 'write() receives it here', file: '/src/project/include/helpers.h' },
      { range: { start: { line: 12, column: 4 }, end: { line: 12, column: 20 } }, message: 'passed on to do_write() here' },
    ],
  };
  const uri = pathToFileURL('/src/project/main.c').href;
  const d = toDiagnostic(finding, uri, '/src/project/main.c', undefined, { explainLinks: 'article', articlesDir: '/ext/media/articles' });
  assert.deepEqual(d.relatedInformation, [
    { location: { uri: 'file:///src/project/include/helpers.h', range: { start: { line: 3, character: 8 }, end: { line: 3, character: 40 } } }, message: 'write() receives it here' },
    { location: { uri, range: { start: { line: 12, character: 4 }, end: { line: 12, character: 20 } } }, message: 'passed on to do_write() here' },
  ]);
});

// The user README's rule table and the developer guide's command table are prose, but the facts in them (which
// rules exist, their default severities, which commands the palette offers) have one owner each: the rule table
// in src/core/rules.ts and the command catalog. These tests fail when the prose falls behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RULES } from '../../../src/core/rules';
import { COMMAND_CATALOG, COMMAND_CATEGORY, WHEN } from '../../../src/shared/command-catalog';

const root = process.env.ZFS_DIO_ROOT!;

/** The first cells of each row of the markdown table under `heading` (rows start with `| `; the header is skipped). */
function tableRows(file: string, heading: RegExp): string[][] {
  const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  assert.ok(start >= 0, `${file} has a heading matching ${heading}`);
  const rows: string[][] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,6} /.test(line)) break;
    if (!line.startsWith('|')) { if (inTable) break; continue; }
    inTable = true;
    if (/^\|\s*-/.test(line)) continue;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows.slice(1);
}

test('README: one row per rule of the rule table, in its order, with its default severity', () => {
  const rows = tableRows('README.md', /^## .*rules/i);
  assert.deepEqual(rows.map(([id, severity]) => `${id} ${severity}`), RULES.map((r) => `${r.id} ${r.defaultSeverity}`));
});

test('DEVELOPING.md: one row per command the Command Palette offers, in the catalog\'s order', () => {
  const rows = tableRows('docs/DEVELOPING.md', /^### Commands$/);
  const offered = Object.values(COMMAND_CATALOG).filter((spec) => (spec as { palette?: string }).palette !== WHEN.never);
  assert.deepEqual(rows.map(([title]) => title), offered.map((spec) => `${COMMAND_CATEGORY}: ${spec.title}`));
});

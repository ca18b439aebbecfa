// Checks the committed list of OpenZFS versions (test/fixtures/knowledge/openzfs-versions.txt), which the
// articles are tested against, against a sourced list of versions that the maintainer names on the command line
// (a markdown file of release facts with their sources): every version on the list must appear in it, so no
// version number enters the articles without a source. A maintainer runs it after changing the list; npm test
// does not, because the source file is an input of the maintainer's, not a file of the repository.
//   node scripts/check-versions.mjs <sourced-facts.md>
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIST = path.join(root, 'test/fixtures/knowledge/openzfs-versions.txt');
/** An OpenZFS release number as the articles write it: 2.3.1, 2.3.0-rc5. */
const VERSION = /\b[0-2]\.\d+\.\d+(?:-rc\d+)?\b/g;

const sheet = process.argv[2];
if (!sheet || process.argv.length > 3) {
  process.stderr.write('usage: node scripts/check-versions.mjs <sourced-facts.md>\n');
  process.exit(2);
}
let facts;
try {
  facts = readFileSync(sheet, 'utf8');
} catch (e) {
  process.stderr.write(`check-versions: cannot read ${sheet}: ${e.code ?? e.message}\n`);
  process.exit(2);
}
const inSheet = new Set(facts.match(VERSION) ?? []);
const listed = readFileSync(LIST, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
const missing = listed.filter((v) => !inSheet.has(v));
if (missing.length) {
  process.stderr.write(`check-versions: on ${path.relative(root, LIST)} but not in ${sheet}: ${missing.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write(`check-versions: all ${listed.length} versions on the list are in ${sheet}\n`);

// Writes every quick fix that `zfs-dio scan --format json` prints for a source tree as a fixed copy of that
// tree, one copy per fix, so test/samples/run.sh can compile each one with the tree's own toolchain. The fixes
// are applied from the JSON alone, by their 1-based coordinates, as any other tool would apply them.
//
//   node fixed-variants.cjs --cli dist/cli.js --out DIR TREE...
//
// Prints one tab-separated line per variant: the variant's directory (a copy of TREE), TREE as given, the fixed
// file relative to it, the rule id, the finding's line and the fix's title.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyJsonFix, type JsonFinding } from '../support/json-fixes';

function fail(message: string): never {
  process.stderr.write(`fixed-variants: ${message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
const option = (name: string): string => {
  const i = args.indexOf(name);
  if (i < 0 || !args[i + 1]) fail(`${name} is required`);
  const value = args[i + 1]!;
  args.splice(i, 2);
  return value;
};
const cli = path.resolve(option('--cli'));
const out = path.resolve(option('--out'));
if (!args.length) fail('name at least one source tree');

/** Build products and caches never belong in a copy. */
const SKIPPED = new Set(['target', '__pycache__', 'node_modules', '.git']);

let count = 0;
const rows: string[] = [];
for (const given of args) {
  const tree = path.resolve(given);
  // Exit 1 only means "warnings found"; anything else is a failure of its own.
  const scan = spawnSync(process.execPath, [cli, 'scan', '.', '--format', 'json'], { cwd: tree, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (scan.status !== 0 && scan.status !== 1) fail(`zfs-dio scan ${tree} exited ${scan.status}: ${scan.stderr}`);
  const findings: JsonFinding[] = JSON.parse(scan.stdout).findings;
  for (const finding of findings) {
    if (!Array.isArray(finding.fixes)) fail(`zfs-dio scan printed a finding without "fixes" (${finding.file}:${finding.line} ${finding.ruleId}): is dist/cli.js up to date?`);
    const original = readFileSync(path.join(tree, finding.file), 'utf8');
    for (const fix of finding.fixes) {
      const dir = path.join(out, String(++count));
      mkdirSync(dir, { recursive: true });
      cpSync(tree, dir, { recursive: true, filter: (src) => !SKIPPED.has(path.basename(src)) });
      writeFileSync(path.join(dir, finding.file), applyJsonFix(original, fix));
      rows.push([dir, given, finding.file, finding.ruleId, String(finding.line), fix.title.replace(/[\t\n]/g, ' ')].join('\t'));
    }
  }
}
process.stdout.write(rows.length ? `${rows.join('\n')}\n` : '');

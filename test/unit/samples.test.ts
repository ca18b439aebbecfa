// Keeps samples/ (the workspace `npm start` opens and the e2e suite drives) in sync with the analyzer:
// samples/README.md has a table of the rule ids each sample file must produce; the CLI's JSON must match it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.env.ZFS_DIO_ROOT!;
const samplesDir = path.join(root, 'samples');
const cli = path.join(root, 'dist/cli.js');
const SOURCE_FILE = /\.(c|h|cc|cpp|hpp|cxx|rs|go|py)$/;

/** `| \`c/blockstore.c\` | description | ZDIO001, ZDIO002 |` rows of samples/README.md; "none" means no findings. */
function documentedRules(): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const line of readFileSync(path.join(samplesDir, 'README.md'), 'utf8').split('\n')) {
    const row = /^\|\s*`([^`]+)`\s*\|.*\|\s*([^|]*?)\s*\|\s*$/.exec(line);
    if (!row) continue;
    const rules = row[2] === 'none' ? [] : row[2].split(/\s*,\s*/);
    for (const id of rules) assert.match(id, /^ZDIO\d{3}$/, `bad rule id "${id}" in the samples/README.md row for ${row[1]}`);
    table.set(row[1], [...new Set(rules)].sort());
  }
  return table;
}

function sampleSources(dir = samplesDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sampleSources(full);
    return SOURCE_FILE.test(entry.name) ? [path.relative(samplesDir, full).split(path.sep).join('/')] : [];
  }).sort();
}

interface ScanJson {
  version: number;
  sites: { file: string; kind: string }[];
  findings: { file: string; ruleId: string; message: string; line: number }[];
}

let scanned: ScanJson | undefined;
/** One scan of samples/ shared by the tests (a scan spawns the CLI and takes a few seconds). */
function scanSamples(): ScanJson {
  scanned ??= runScan();
  return scanned;
}

function runScan(): ScanJson {
  // Exit code 1 means "warnings found", which is expected here; 2 would be a usage error.
  const run = spawnSync(process.execPath, [cli, 'scan', 'samples', '--format', 'json'], { cwd: root, encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `zfs-dio scan exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as ScanJson;
}

const relative = (file: string) => path.relative(samplesDir, path.resolve(root, file)).split(path.sep).join('/');

test('samples/README.md documents every sample source file, and only those', () => {
  assert.deepEqual([...documentedRules().keys()].sort(), sampleSources());
});

test('the analyzer reports exactly the documented rule ids for each sample file', () => {
  const scan = scanSamples();
  const found = new Map<string, Set<string>>();
  for (const f of scan.findings) {
    const file = relative(f.file);
    if (!found.has(file)) found.set(file, new Set());
    found.get(file)!.add(f.ruleId);
  }
  for (const [file, expected] of documentedRules()) {
    const actual = [...(found.get(file) ?? [])].sort();
    const details = scan.findings.filter((f) => relative(f.file) === file).map((f) => `${f.line}: ${f.ruleId} ${f.message}`);
    assert.deepEqual(actual, expected, `${file}\n  ${details.join('\n  ')}`);
  }
});

test('together the samples show every rule, and every sample file has spotted call sites', () => {
  const scan = scanSamples();
  const shown = [...new Set(scan.findings.map((f) => f.ruleId))].sort();
  assert.deepEqual(shown, ['ZDIO001', 'ZDIO002', 'ZDIO003', 'ZDIO004', 'ZDIO010', 'ZDIO011', 'ZDIO012', 'ZDIO020']);
  const withSites = new Set(scan.sites.map((s) => relative(s.file)));
  for (const file of sampleSources()) assert.ok(withSites.has(file), `no call site spotted in ${file}`);
});

test('every finding on the samples names a derived value or origin', () => {
  for (const f of scanSamples().findings) {
    if (f.ruleId === 'ZDIO012' || f.ruleId === 'ZDIO011') continue;   // these are about handling, not a value
    assert.match(f.message, /\d|malloc|new|Vec|make|os\.read|allocat/, `${f.file}:${f.line} ${f.ruleId}: ${f.message}`);
  }
});

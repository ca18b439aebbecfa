#!/usr/bin/env node
// Benchmark harness (issue 5): `npm run bench` (full) or `npm run bench -- --smoke` (tiny, one run each, for CI).
// Prints a markdown table. Every time is the median of several runs, and every comparison is a ratio
// against a baseline measured in the same invocation (ripgrep for the whole-tree scan), because
// absolute times on a shared machine are noisy.
//
//   node bench/run.mjs [--smoke] [--runs N] [--only tree,latency,lsp,workspace,activation,vsix,probe,trace] [--json FILE]
//
// Needs: a built dist/ (npm run bench builds first), ripgrep (installed with apt-get when running as
// root; otherwise it fails with a message), GNU time for peak RSS (installed the same way, else "n/a").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generateTree } from './gen-tree.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench/.work');
const CLI = path.join(ROOT, 'dist/cli.js');

// ---------------------------------------------------------------------------------------------
// Options

function parseOptions(argv) {
  const opts = { smoke: false, runs: undefined, only: undefined, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--smoke') opts.smoke = true;
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--only') opts.only = new Set(String(argv[++i]).split(','));
    else if (a === '--json') opts.json = argv[++i];
    else if (a === '-h' || a === '--help') { console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 10).join('\n')); process.exit(0); }
    else { console.error(`bench: unknown argument ${a}`); process.exit(2); }
  }
  if (opts.runs !== undefined && !(Number.isInteger(opts.runs) && opts.runs >= 1)) { console.error('bench: --runs needs a whole number >= 1'); process.exit(2); }
  opts.runs ??= opts.smoke ? 1 : 5;
  return opts;
}

const opts = parseOptions(process.argv.slice(2));
const wants = (section) => !opts.only || opts.only.has(section);
const isRoot = process.getuid?.() === 0;

// ---------------------------------------------------------------------------------------------
// Helpers

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function sh(cmd, args, options = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, ...options });
}

function have(cmd) { return sh('sh', ['-c', `command -v ${cmd}`]).status === 0; }

let aptUpdated = false;
function aptInstall(pkg) {
  if (!isRoot) return false;
  let r = sh('apt-get', ['install', '-y', '-q', pkg], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0 && !aptUpdated) {
    aptUpdated = true;
    sh('apt-get', ['update', '-q']);
    r = sh('apt-get', ['install', '-y', '-q', pkg], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  return r.status === 0;
}

function ensureRipgrep() {
  if (have('rg')) return;
  process.stderr.write('bench: ripgrep (rg) is missing; installing the Debian package…\n');
  if (!isRoot) throw new Error('ripgrep (rg) is not installed and this is not root: install it (sudo apt-get install ripgrep) and re-run');
  if (!aptInstall('ripgrep') || !have('rg')) throw new Error('apt-get install ripgrep failed; install ripgrep and re-run');
}

const GNU_TIME = '/usr/bin/time';
function ensureGnuTime() {
  if (existsSync(GNU_TIME)) return true;
  if (aptInstall('time') && existsSync(GNU_TIME)) return true;
  process.stderr.write('bench: GNU time (/usr/bin/time) unavailable: peak RSS is reported as n/a\n');
  return false;
}

/** Runs a command, returns wall ms (measured here) and peak RSS in KiB (from GNU time, when present). */
function timed(cmd, args, withTime, env) {
  const rssFile = path.join(WORK, `rss-${process.pid}.txt`);
  const options = env ? { env: { ...process.env, ...env } } : {};
  const t0 = performance.now();
  const r = withTime ? sh(GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...args], options) : sh(cmd, args, options);
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  const rssKb = withTime && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
  return { ms, rssKb, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SOURCE_EXT = /\.(c|h|cc|cpp|cxx|c\+\+|hh|hpp|hxx|h\+\+|ipp|tpp|inl|rs|go|py|pyi)$/i;
const PRUNED = new Set(['.git', '.hg', '.svn', 'node_modules', 'build', 'dist', 'out', 'target', '.venv', 'venv', '__pycache__', 'CMakeFiles']);

/** Lines and files of the source files in a tree (what the scanner considers), cached next to the work dir. */
function countSources(dir) {
  const cache = path.join(WORK, `count-${dir.replace(/[^a-z0-9]+/gi, '_')}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8'));
  let files = 0, lines = 0, bytes = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (!PRUNED.has(e.name) && !e.name.startsWith('bazel-')) stack.push(p); }
      else if (e.isFile() && SOURCE_EXT.test(e.name)) {
        const b = readFileSync(p);
        files++; bytes += b.length;
        for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
      }
    }
  }
  const result = { files, lines, bytes };
  writeFileSync(cache, JSON.stringify(result));
  return result;
}

// ---------------------------------------------------------------------------------------------
// Trees

function generatedTree() {
  const params = opts.smoke ? { files: 300, meanLines: 100 } : { files: 22000, meanLines: 100 };
  const dir = path.join(WORK, opts.smoke ? 'generated-smoke' : 'generated');
  const totals = generateTree(dir, params);
  return { name: `generated (${totals.files} files, ${(totals.lines / 1e6).toFixed(2)} M lines, ${totals.siteFiles} with sites)`, dir };
}

/** OpenZFS sources from the zfs-dkms Debian package (unpacked, not installed), else kernel headers. */
function realTree() {
  const installed = existsSync('/usr/src') ? readdirSync('/usr/src').filter((n) => /^zfs-\d/.test(n)).map((n) => path.join('/usr/src', n)) : [];
  if (installed.length) return { name: `OpenZFS ${path.basename(installed[0])} (zfs-dkms, /usr/src)`, dir: installed[0] };
  const unpackRoot = path.join(WORK, 'zfs-dkms');
  const findUnpacked = () => existsSync(path.join(unpackRoot, 'usr/src'))
    ? readdirSync(path.join(unpackRoot, 'usr/src')).filter((n) => /^zfs-\d/.test(n)).map((n) => path.join(unpackRoot, 'usr/src', n)) : [];
  if (!findUnpacked().length && have('apt-get') && have('dpkg')) {
    const debDir = path.join(WORK, 'deb');
    mkdirSync(debDir, { recursive: true });
    let r = sh('apt-get', ['download', 'zfs-dkms'], { cwd: debDir });
    if (r.status !== 0 && isRoot && !aptUpdated) { aptUpdated = true; sh('apt-get', ['update', '-q']); r = sh('apt-get', ['download', 'zfs-dkms'], { cwd: debDir }); }
    const deb = readdirSync(debDir).find((n) => n.startsWith('zfs-dkms_') && n.endsWith('.deb'));
    if (deb) sh('dpkg', ['-x', path.join(debDir, deb), unpackRoot]);
  }
  const unpacked = findUnpacked();
  if (unpacked.length) return { name: `OpenZFS ${path.basename(unpacked[0])} (zfs-dkms .deb sources)`, dir: unpacked[0] };
  const headers = existsSync('/usr/src') ? readdirSync('/usr/src').filter((n) => n.startsWith('linux-headers-')).map((n) => path.join('/usr/src', n)) : [];
  if (headers.length) return { name: `Linux kernel headers ${path.basename(headers[0])}`, dir: headers[0] };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Sections

const rows = [];   // markdown table rows: [section, what, value, target/ratio, note]
const results = { machine: {}, tree: [], latency: [], lsp: [], workspace: [], activation: null, vsix: null, probe: null, smoke: opts.smoke, runs: opts.runs };

function machine() {
  const cpus = os.cpus();
  results.machine = {
    nproc: os.availableParallelism(), cpu: cpus[0]?.model ?? 'unknown', ramGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version, kernel: os.release(), rg: have('rg') ? sh('rg', ['--version']).stdout.split('\n')[0] : null,
    loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(1)),
  };
}

function benchTree(tree, withTime) {
  const counts = countSources(tree.dir);
  const rgArgs = ['-n', '-e', 'copy_file_range', '-e', 'O_DIRECT', '-e', 'FICLONE', tree.dir];
  const variants = [
    { label: 'ripgrep', cmd: 'rg', args: rgArgs },
    { label: `zfs-dio scan (${os.availableParallelism()} threads)`, cmd: process.execPath, args: [CLI, 'scan', tree.dir, '--format', 'json'] },
  ];
  if (!opts.smoke) variants.push({ label: 'zfs-dio scan (--jobs 1)', cmd: process.execPath, args: [CLI, 'scan', tree.dir, '--format', 'json', '--jobs', '1'] });
  // A second scan of the unchanged tree with --cache: the untimed warm-up run below fills the cache,
  // so every timed run takes each file's result from it (a fresh file per tree and invocation).
  const cacheFile = path.join(WORK, `scan-cache-${process.pid}-${tree.dir.replace(/[^a-z0-9]+/gi, '_')}.json`);
  rmSync(cacheFile, { force: true });
  variants.push({ label: 'zfs-dio scan --cache, unchanged tree (warm cache)', cmd: process.execPath,
    args: [CLI, 'scan', tree.dir, '--format', 'json', '--cache-location', cacheFile], warm: true });
  // The floor of the part the scanner controls: walk + read + prefilter, no parsing.
  variants.push({ label: 'zfs-dio scan, prefilter only (no parsing)', cmd: process.execPath,
    args: [CLI, 'scan', tree.dir, '--format', 'json', '--prefilter-only'], floor: true });
  // One untimed warm-up of each (page cache, wasm code caches on disk are not used), then interleaved runs.
  for (const v of variants) timed(v.cmd, v.args, false, v.env);
  const samples = new Map(variants.map((v) => [v.label, { ms: [], rss: [] }]));
  let scanStats;
  for (let i = 0; i < opts.runs; i++) {
    for (const v of variants) {
      const r = timed(v.cmd, v.args, withTime, v.env);
      if (v.cmd === 'rg' ? r.status > 1 : (r.status !== 0 && r.status !== 1)) {
        throw new Error(`${v.label} failed with exit ${r.status}: ${r.stderr.slice(0, 2000)}`);
      }
      if (v.cmd !== 'rg' && !v.floor && !scanStats) {
        const doc = JSON.parse(r.stdout);
        scanStats = { ...doc.stats, sitesReported: doc.sites.length, findingsReported: doc.findings.length };
      }
      samples.get(v.label).ms.push(r.ms);
      samples.get(v.label).rss.push(r.rssKb);
    }
  }
  const rgMs = median(samples.get('ripgrep').ms);
  const out = { tree: tree.name, dir: tree.dir, sourceFiles: counts.files, sourceLines: counts.lines, sourceBytes: counts.bytes, scanStats, variants: [] };
  for (const v of variants) {
    const s = samples.get(v.label);
    const ms = median(s.ms);
    const rss = median(s.rss);
    const entry = { label: v.label, medianMs: ms, runsMs: s.ms.map((x) => +x.toFixed(1)), peakRssMiB: Number.isFinite(rss) ? +(rss / 1024).toFixed(1) : null,
      filesPerSec: counts.files / (ms / 1000), linesPerSec: counts.lines / (ms / 1000), ratioToRipgrep: ms / rgMs };
    out.variants.push(entry);
    rows.push(['whole-tree scan', `${tree.name}: ${v.label}`,
      `${fmtMs(ms)}; ${fmtRate(entry.filesPerSec)} files/s; ${fmtRate(entry.linesPerSec)} lines/s; peak RSS ${entry.peakRssMiB ?? 'n/a'} MiB`,
      v.cmd === 'rg' ? 'baseline' : `${entry.ratioToRipgrep.toFixed(2)}× ripgrep${v.floor ? '' : v.warm ? ' (target ≤ 1×)' : ' (target ≤ 3×)'}`,
      v.cmd === 'rg' ? '' : v.warm ? 'each file stat()ed and its result taken from the cache; nothing read or parsed' : v.floor ? 'what the scan costs before any parsing: the gap to the full scan is web-tree-sitter parse + extraction'
        : `${scanStats.filesParsed} of ${scanStats.filesConsidered} files passed the prefilter and were parsed`]);
  }
  results.tree.push(out);
}

async function bundleLatency() {
  const outfile = path.join(WORK, 'latency.cjs');
  await build({ entryPoints: [path.join(ROOT, 'bench/latency-entry.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    // __dirname = dist/: the editor's lazy loader then requires the shipped dist/editor-lazy.js, so the
    // latency measured is that of the production bundle, exactly as the extension loads it.
    logLevel: 'warning', define: { 'import.meta.url': 'importMetaUrl', __dirname: JSON.stringify(path.join(ROOT, 'dist')) },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" } });
  return outfile;
}

async function benchLatency() {
  const script = await bundleLatency();
  const sizes = opts.smoke ? [[1000, 3]] : [[1000, 60], [10000, 40], [100000, 12]];
  const targets = { 1000: null, 10000: 25, 100000: 250 };
  for (const [lines, iterations] of sizes) {
    // A fresh process per size; grammars are found through ZFS_DIO_ROOT/dist/grammars.
    const r = sh(process.execPath, [script, String(lines), String(iterations)], { env: { ...process.env, ZFS_DIO_ROOT: ROOT }, timeout: 30 * 60 * 1000 });
    if (r.status !== 0) throw new Error(`latency run (${lines} lines) failed: ${r.stderr.slice(0, 2000)}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop());
    results.latency.push(m);
    const target = targets[lines];
    rows.push(['re-analysis', `${lines.toLocaleString('en')} lines, incremental (editor path: edit + re-parse + analyzeTree)`,
      `p50 ${fmtMs(m.incrementalP50)}, p95 ${fmtMs(m.incrementalP95)}`, target ? `target p95 ≤ ${target} ms` : '',
      `${m.iterations} edits, C document; the incremental re-parse alone: p50 ${fmtMs(m.reparseOnlyP50)}, p95 ${fmtMs(m.reparseOnlyP95)}`]);
    rows.push(['re-analysis', `${lines.toLocaleString('en')} lines, full (same call, no kept tree)`,
      `p50 ${fmtMs(m.fullP50)}, p95 ${fmtMs(m.fullP95)}`, target ? `target p95 ≤ ${target} ms` : '', `findings per version: ${m.findingCounts}`]);
  }
}

/**
 * Diagnostics latency through the language server, as an editor sees it (bench/lsp-latency-entry.ts): a fresh
 * `dist/cli.js lsp --stdio` per size and mode, the latency document, from didChange to the diagnostics of
 * that version (push) or to the answer of the textDocument/diagnostic sent with it (pull).
 */
async function benchLsp() {
  const script = await bundleEntry('lsp-latency');
  const sizes = opts.smoke ? [[1000, 3]] : [[10000, 40], [100000, 12]];
  const targets = { 1000: null, 10000: 25, 100000: 250 };
  for (const [lines, iterations] of sizes) {
    for (const mode of ['push', 'pull']) {
      const r = sh(process.execPath, [script, path.join(ROOT, 'dist', 'cli.js'), String(lines), String(iterations), mode], { timeout: 30 * 60 * 1000 });
      if (r.status !== 0) throw new Error(`language server latency run (${lines} lines, ${mode}) failed: ${r.stderr.slice(0, 2000)}`);
      const m = JSON.parse(r.stdout.trim().split('\n').pop());
      results.lsp.push(m);
      const target = targets[lines];
      rows.push(['language server', `${lines.toLocaleString('en')} lines, ${mode}: didChange to diagnostics`,
        `p50 ${fmtMs(m.p50)}, p95 ${fmtMs(m.p95)}`, target ? `target p95 ≤ ${target} ms` : '',
        `${m.iterations} edits, C document, its own server process; diagnostics per version: ${m.diagnosticCounts}`]);
    }
  }
}

async function bundleEntry(name) {
  const outfile = path.join(WORK, `${name}.cjs`);
  await build({ entryPoints: [path.join(ROOT, `bench/${name}-entry.ts`)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    logLevel: 'warning', define: { 'import.meta.url': 'importMetaUrl', __dirname: JSON.stringify(path.join(ROOT, 'dist')) },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" } });
  return outfile;
}

/** Linux kernel headers: installed ones, else the -common package of Debian's archive, unpacked here. */
function kernelHeaders() {
  const installed = existsSync('/usr/src') ? readdirSync('/usr/src').filter((n) => /^linux-headers-.*-common$/.test(n)).map((n) => path.join('/usr/src', n)) : [];
  if (installed.length) return { name: `Linux kernel headers ${path.basename(installed[0])}`, dir: installed[0] };
  const unpackRoot = path.join(WORK, 'linux-headers');
  const find = () => existsSync(path.join(unpackRoot, 'usr/src'))
    ? readdirSync(path.join(unpackRoot, 'usr/src')).filter((n) => n.endsWith('-common')).map((n) => path.join(unpackRoot, 'usr/src', n)) : [];
  if (!find().length && have('apt-cache') && have('apt-get') && have('dpkg')) {
    const names = sh('apt-cache', ['search', '--names-only', '^linux-headers-[0-9.]+-[0-9]+-common$']).stdout
      .split('\n').map((l) => l.split(' ')[0]).filter(Boolean).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const debDir = path.join(WORK, 'deb');
    mkdirSync(debDir, { recursive: true });
    if (names.length) sh('apt-get', ['download', names[names.length - 1]], { cwd: debDir });
    const deb = readdirSync(debDir).find((n) => n.startsWith('linux-headers-') && n.endsWith('.deb'));
    if (deb) sh('dpkg', ['-x', path.join(debDir, deb), unpackRoot]);
  }
  const found = find();
  return found.length ? { name: `Linux kernel headers ${path.basename(found[0])} (Debian .deb)`, dir: found[0] } : undefined;
}

async function benchWorkspace() {
  const script = await bundleEntry('workspace');
  const run = (...args) => {
    const r = sh(process.execPath, ['--expose-gc', script, ...args], { env: { ...process.env, ZFS_DIO_ROOT: ROOT }, timeout: 30 * 60 * 1000 });
    if (r.status !== 0) throw new Error(`workspace run (${args.join(' ')}) failed: ${r.stderr.slice(0, 2000)}`);
    return JSON.parse(r.stdout.trim().split('\n').pop());
  };
  const trees = opts.smoke ? [{ name: 'the corpus', dir: path.join(ROOT, 'test/corpus') }]
    : [realTree(), kernelHeaders()].filter(Boolean);
  if (!opts.smoke && trees.length < 2) rows.push(['workspace index', 'real trees', 'not all measured', '', 'no zfs-dkms sources or kernel headers available']);
  for (const tree of trees) {
    const m = median(Array.from({ length: opts.runs }, () => run('index', tree.dir).ms));
    const one = run('index', tree.dir);
    results.workspace.push({ ...one, tree: tree.name, medianMs: m });
    rows.push(['workspace index', `${tree.name}: every C/C++ file asks for its header context (a scan's work)`,
      `${fmtMs(m)} for ${one.files} files; heap ${one.heapMiBBefore} → ${one.heapMiBAfter} MiB`, '',
      `${one.headersRead} headers read, ${one.includeLinks} include links in all closures; ${one.filesMentioningSitesThroughHeaders} files may have a site through a header only`]);
  }
  for (const n of opts.smoke ? [5] : [1, 10, 50]) {
    const m = run('header-change', String(n), String(opts.smoke ? 2 : 6));
    results.workspace.push(m);
    rows.push(['workspace index', `an edit on disk to a header that ${n} open document${n === 1 ? '' : 's'} include${n === 1 ? 's' : ''}`,
      `median ${fmtMs(m.medianMs)}, max ${fmtMs(m.maxMs)}`, '',
      `${m.rounds} changes; from the watcher's batch to the last of the ${n} ${m.documentLines}-line documents analysed again (editor path, each document's finding checked)`]);
  }
}

async function benchActivation() {
  const ext = path.join(ROOT, 'dist/extension.js');
  // The tests' vscode fake, bundled for plain Node: one stand-in for the tests and the benchmarks.
  const fake = path.join(WORK, 'vscode-fake.cjs');
  await build({ entryPoints: [path.join(ROOT, 'test/support/vscode-fake.ts')], outfile: fake, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  const n = opts.smoke ? 1 : 9;
  const samples = [];
  for (let i = 0; i < n; i++) {
    const r = sh(process.execPath, [path.join(ROOT, 'bench/activation.cjs'), ext, fake]);
    if (r.status !== 0) throw new Error(`activation run failed: ${r.stderr.slice(0, 2000)}`);
    samples.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  const total = median(samples.map((s) => s.totalMs));
  const act = median(samples.map((s) => s.activateMs));
  const wasm = Math.max(...samples.map((s) => s.wasmCompilations));
  results.activation = { medianTotalMs: total, medianActivateMs: act, medianRequireMs: median(samples.map((s) => s.requireMs)), wasmCompilations: wasm,
    subscriptions: samples[0].subscriptions, runs: n };
  rows.push(['activation', 'require(dist/extension.js) + activate() with the tests\' vscode fake', `${fmtMs(total)} (activate() alone ${fmtMs(act)})`,
    'target ≤ 50 ms', `${wasm === 0 ? 'no grammar compiled during activation' : `${wasm} WebAssembly compilations during activation!`}; ${samples[0].subscriptions} disposables registered; median of ${n} fresh processes`]);
}

function benchVsix() {
  const dir = path.join(ROOT, 'dist-vsix');
  const find = () => existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.vsix')).map((n) => path.join(dir, n)) : [];
  let files = find();
  let note = 'existing package';
  if (!files.length) {
    const r = sh('npm', ['run', 'package', '--silent'], { cwd: ROOT });
    if (r.status !== 0) { rows.push(['package', '.vsix size', 'n/a', 'target ≤ 6 MB', `npm run package failed: ${(r.stderr || r.stdout).slice(-300)}`]); return; }
    files = find();
    note = 'built now with npm run package';
  }
  const newest = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  const size = statSync(newest).size;
  results.vsix = { file: path.relative(ROOT, newest), bytes: size };
  rows.push(['package', `.vsix size (${path.basename(newest)})`, `${(size / 1e6).toFixed(2)} MB (${size} bytes)`, 'target ≤ 6 MB', note]);
}

function benchProbe() {
  const file = path.join(ROOT, 'test-output/zfs/probe-timing.json');
  if (!existsSync(file)) {
    rows.push(['probe', 'probe wall time on the real ZFS VM', 'not measured (run npm run test:zfs)', '', `reads ${path.relative(ROOT, file)}`]);
    return;
  }
  const t = JSON.parse(readFileSync(file, 'utf8'));
  results.probe = t;
  if (typeof t.probeWallMs !== 'number') {
    // The VM rig writes the file before the probe runs; a run that failed or is still going leaves no time.
    rows.push(['probe', 'probe wall time on the real ZFS VM', 'not measured (the last npm run test:zfs recorded no probe time)', '',
      `reads ${path.relative(ROOT, file)} (written ${t.when ?? '?'})`]);
    return;
  }
  rows.push(['probe', 'probe wall time on the real ZFS VM', fmtMs(t.probeWallMs), 'reported separately',
    `OpenZFS ${t.zfs ?? '?'}, kernel ${t.kernel ?? '?'}, measured ${t.when ?? '?'} by npm run test:zfs${t.note ? ` (${t.note})` : ''}`]);
}

/**
 * What `zfs-dio trace` costs a program that makes many small writes: the program alone (the baseline),
 * under strace with the same filter and no stacks, and under zfs-dio trace with and without stacks
 * (which includes reading the trace, replaying it and resolving source lines).
 */
function benchTrace() {
  if (!have('strace') && !aptInstall('strace')) { rows.push(['trace', 'tracing cost', 'not measured', '', 'strace is not installed (apt-get install strace)']); return; }
  if (!have('gcc')) { rows.push(['trace', 'tracing cost', 'not measured', '', 'gcc is not installed']); return; }
  const dir = path.join(WORK, 'trace');
  mkdirSync(dir, { recursive: true });
  const program = path.join(dir, 'trace-writes');
  const built = sh('gcc', ['-g', '-O2', '-o', program, path.join(ROOT, 'bench/trace-writes.c')]);
  if (built.status !== 0) throw new Error(`gcc failed: ${built.stderr}`);
  const writes = opts.smoke ? 2000 : 100000;
  const runs = opts.runs;
  const measure = (cmd, args) => {
    sh(cmd, args, { cwd: dir });
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = sh(cmd, args, { cwd: dir });
      times.push(performance.now() - t0);
      if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
    }
    return median(times);
  };
  const alone = measure(program, [String(writes)]);
  const filter = ['-f', '--seccomp-bpf', '-qq', '-o', '/dev/null', '-e', 'trace=openat,close,dup,dup2,dup3,fcntl,lseek,read,write,pread64,pwrite64,readv,writev,copy_file_range,ioctl,clone,clone3,execve', '--'];
  const bare = measure('strace', [...filter, program, String(writes)]);
  const noStacks = measure(process.execPath, [CLI, 'trace', '--format', 'json', '--no-stacks', '--', program, String(writes)]);
  const stacks = measure(process.execPath, [CLI, 'trace', '--format', 'json', '--', program, String(writes)]);
  const twoPass = measure(process.execPath, [CLI, 'trace', '--format', 'json', '--two-pass', '--', program, String(writes)]);
  results.trace = { writes, aloneMs: alone, straceMs: bare, traceNoStacksMs: noStacks, traceMs: stacks, traceTwoPassMs: twoPass };
  const ratio = (ms) => `${(ms / alone).toFixed(1)}× the program alone`;
  rows.push(['trace', `${writes} small writes, program alone`, fmtMs(alone), 'baseline', 'bench/trace-writes.c, gcc -O2, 1 in 100 writes O_DIRECT']);
  rows.push(['trace', 'under strace (same filter, no stacks, output discarded)', fmtMs(bare), ratio(bare), 'what ptrace itself costs']);
  rows.push(['trace', 'zfs-dio trace --no-stacks', fmtMs(noStacks), ratio(noStacks), 'plus writing, reading and replaying the trace']);
  rows.push(['trace', 'zfs-dio trace (stacks, source lines)', fmtMs(stacks), ratio(stacks), 'plus an unwind per recorded call and addr2line']);
  rows.push(['trace', 'zfs-dio trace --two-pass (source lines)', fmtMs(twoPass), ratio(twoPass), 'the run without stacks, then a second run with stacks for the 1,000 O_DIRECT pwrites only']);
}

function fmtMs(ms) { return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`; }
function fmtRate(x) { return x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0); }

// ---------------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm run bench does it for you)');
  mkdirSync(WORK, { recursive: true });
  const started = performance.now();
  if (wants('tree')) {
    ensureRipgrep();
    const withTime = ensureGnuTime();
    machine();
    benchTree(generatedTree(), withTime);
    const real = realTree();
    if (real) benchTree(real, withTime);
    else rows.push(['whole-tree scan', 'real tree', 'not measured', '', 'no zfs-dkms sources or kernel headers available offline']);
  } else machine();
  if (wants('latency')) await benchLatency();
  if (wants('lsp')) await benchLsp();
  if (wants('workspace')) await benchWorkspace();
  if (wants('activation')) await benchActivation();
  if (wants('vsix')) benchVsix();
  if (wants('probe')) benchProbe();
  if (wants('trace')) benchTrace();

  const m = results.machine;
  const lines = [
    `zfs-dio benchmarks${opts.smoke ? ' (SMOKE: tiny sizes, 1 run each; not for comparison)' : ''}`,
    `machine: ${m.nproc} cores (${m.cpu}), ${m.ramGiB} GiB RAM, Node ${m.node}, Linux ${m.kernel}${m.rg ? `, ${m.rg}` : ''}`,
    `each time is the median of ${opts.runs} run(s) after one warm-up run; ratios are against ripgrep measured in the same invocation`,
    `load average (1/5/15 min) at start ${m.loadAverageAtStart.join(' / ')}, at end ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')}` +
      (m.loadAverageAtStart[0] > m.nproc ? ' — the machine was busy with other work: absolute times are inflated, ratios less so' : ''),
    '',
    '| section | measurement | result | target / ratio | note |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`),
    '',
    `bench: finished in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  ];
  console.log(lines.join('\n'));
  const jsonOut = opts.json ?? path.join(WORK, opts.smoke ? 'results-smoke.json' : 'results.json');
  writeFileSync(jsonOut, JSON.stringify(results, null, 2));
  console.log(`bench: raw results in ${path.relative(process.cwd(), jsonOut) || jsonOut}`);
}

main().catch((err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});

// Diagnostics latency through the language server (bench/lsp-latency-entry.ts), push and pull, for the
// document sizes of the in-process benchmark. Usage: node scripts/build.mjs --production && node bench/lsp-latency.mjs [--smoke]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const smoke = process.argv.includes('--smoke');
const work = mkdtempSync(path.join(os.tmpdir(), 'zdio-lsp-bench-'));
const script = path.join(work, 'lsp-latency.cjs');
await build({ entryPoints: [path.join(ROOT, 'bench/lsp-latency-entry.ts')], outfile: script, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
const sizes = smoke ? [[1000, 3]] : [[10000, 40], [100000, 12]];
for (const [lines, iterations] of sizes) {
  for (const mode of ['push', 'pull']) {
    const r = spawnSync(process.execPath, [script, path.join(ROOT, 'dist', 'cli.js'), String(lines), String(iterations), mode], { encoding: 'utf8', timeout: 30 * 60 * 1000 });
    if (r.status !== 0) { console.error(r.stderr); process.exitCode = 1; continue; }
    const m = JSON.parse(r.stdout.trim().split('\n').pop());
    console.log(`${lines.toLocaleString('en')} lines, ${mode}: didChange → diagnostics p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms (${m.iterations} edits; diagnostics per version ${m.diagnosticCounts})`);
  }
}
rmSync(work, { recursive: true, force: true });

// Diagnostics latency through the language server, as an editor sees it: the shipped `dist/cli.js lsp
// --stdio` in its own process, the same 10,000-line (or any size) C document as the in-process latency
// benchmark (latency-entry.ts), the same one-character edit in a function in the middle of the file, sent
// as an incremental didChange. Push: from sending didChange to the publishDiagnostics of that version
// (debounceMs 0). Pull: from sending didChange to the answer of the textDocument/diagnostic sent with it.
// bench/lsp-latency.mjs bundles this file with esbuild and runs it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest, createProtocolConnection, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest, ExitNotification, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification,
  RegistrationRequest, ShutdownRequest, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { makeDocument } from './latency-document';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function measure(cli: string, lines: number, iterations: number, pull: boolean) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zdio-lsp-latency-'));
  writeFileSync(path.join(dir, 'project.h'), '#define PROJECT_CHUNK (128 * 1024)\n');
  let text = '#include "project.h"\n' + makeDocument(lines);
  const editAt = text.indexOf('196608, 0);', Math.floor(text.length / 2)) + '196608'.length;
  const before = text.slice(0, editAt);
  const at = { line: before.split('\n').length - 1, character: editAt - (before.lastIndexOf('\n') + 1) };
  const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const waiting = new Map<number, (p: PublishDiagnosticsParams) => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => { if (p.version !== undefined) waiting.get(p.version)?.(p); });
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({ debounceMs: 0 })));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.listen();
  const rootUri = pathToFileURL(dir).href;
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'bench' }],
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true }, ...(pull ? { diagnostic: {} } : {}) } },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const uri = pathToFileURL(path.join(dir, 'doc.c')).href;
  let version = 1;
  const published = (v: number) => new Promise<PublishDiagnosticsParams>((resolve) => waiting.set(v, resolve));
  const first = pull ? undefined : published(version);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version, text } });
  if (pull) await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
  else await first;

  const times: number[] = [];
  const counts = new Set<number>();
  const warmup = Math.min(5, iterations);
  for (let i = 0; i < iterations + warmup; i++) {
    const inserting = i % 2 === 0;
    const change = inserting
      ? { range: { start: at, end: at }, text: '0' }
      : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
    text = inserting ? text.slice(0, editAt) + '0' + text.slice(editAt) : text.slice(0, editAt) + text.slice(editAt + 1);
    version += 1;
    const done = pull ? undefined : published(version);
    const t0 = performance.now();
    void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
    let n: number;
    if (pull) {
      const report = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
      n = 'items' in report ? report.items.length : -1;
    } else n = (await done!).diagnostics.length;
    const t1 = performance.now();
    counts.add(n);
    if (i >= warmup) times.push(t1 - t0);
  }
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  connection.dispose();
  rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  // The edit alternates a finding on and off: both counts must have been seen, or the edit missed its target.
  if (counts.size < 2) throw new Error(`the diagnostics never changed (${[...counts].join('/')}): the edit did not reach the server's analysis`);
  return { lines, iterations, mode: pull ? 'pull' : 'push', diagnosticCounts: [...counts].sort().join('/'), p50: percentile(times, 50), p95: percentile(times, 95) };
}

// Entry: node lsp-latency.cjs <cli.js> <lines> <iterations> <push|pull>  → one JSON line on stdout.
if (require.main === module) {
  const [cli, lines, iterations, mode] = process.argv.slice(2);
  measure(cli!, Number(lines), Number(iterations), mode === 'pull').then((r) => process.stdout.write(JSON.stringify(r) + '\n'), (e) => { console.error(e); process.exitCode = 1; });
}

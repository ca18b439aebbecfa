// The workspace index, measured (bench/run.mjs bundles this file and runs it in a fresh process):
//
//   node workspace.cjs index <dir>        every C/C++ file of a tree asks the index for its context, as a
//                                         scan does: time, headers read, include links, heap afterwards
//   node workspace.cjs header-change <N>  N open C documents include one header; the header changes on
//                                         disk and the editor's code path analyses the N documents again
//
// Each prints one JSON line on stdout.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDocumentAnalyzer, type DocumentTree as AnalyzerTree } from '../src/core/analysis/document';
import { setGrammarDirectory } from '../src/core/analysis/parse';
import { SERVER_FILE_TIME_LIMIT_MS } from '../src/server/server';
import { documentsToRecheck } from '../src/server/workspace';
import { WorkspaceIndex } from '../src/core/analysis/workspace';
import { languageForFile } from '../src/core/analysis/languages/index';
import { DEFAULT_SETTINGS } from '../src/core/types';
import { makeDocument } from './latency-document';

/** The language server's document analyzer, with its time limit. */
function loadAnalyzer(grammarDir: string) {
  setGrammarDirectory(grammarDir);
  return createDocumentAnalyzer(SERVER_FILE_TIME_LIMIT_MS);
}

function* sources(dir: string): Generator<string> {
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== '.git') yield* sources(p);
    else if (e.isFile()) {
      const l = languageForFile(e.name);
      if (l === 'c' || l === 'cpp') yield p;
    }
  }
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return +(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1);
}

async function indexTree(dir: string): Promise<Record<string, unknown>> {
  const files = [...sources(dir)];
  const texts = files.map((f) => readFileSync(f, 'latin1'));
  const heapBefore = heapMiB();
  const index = new WorkspaceIndex({ roots: [dir], snapshot: true });
  const headers = new Set<string>();
  let links = 0;
  let mentioning = 0;
  const t0 = performance.now();
  files.forEach((f, i) => {
    const c = index.contextFor(f, languageForFile(f)!, texts[i]!);
    if (!c) return;
    links += c.files.length;
    for (const h of c.files) headers.add(h);
    if (c.mentionsSites) mentioning++;
  });
  const ms = performance.now() - t0;
  const heapAfter = heapMiB();
  // the index is used after the heap was measured, so it is still alive when it is
  return { mode: 'index', dir, roots: index.config.roots.length, files: files.length, ms: +ms.toFixed(1), headersRead: headers.size, includeLinks: links,
    filesMentioningSitesThroughHeaders: mentioning, heapMiBBefore: heapBefore, heapMiBAfter: heapAfter };
}

async function headerChange(n: number, rounds: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zdio-bench-ws-'));
  try {
    const header = path.join(dir, 'sizes.h');
    const writeHeader = (record: number) => writeFileSync(header, `#define RECORD ${record}\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n`);
    writeHeader(6000);
    // ~300-line documents: a writer using the header's macros, then ordinary code.
    const body = makeDocument(300).split('\n').slice(6).join('\n');
    const docs = Array.from({ length: n }, (_, i) => {
      const fileName = path.join(dir, `writer_${i}.c`);
      const text = `#include <fcntl.h>\n#include <unistd.h>\n#include "sizes.h"\nint write_${i}(const char *p) {\n\tint fd = open(p, DIO_FLAGS);\n`
        + `\tstatic char buf[RECORD] __attribute__((aligned(4096)));\n\treturn write(fd, buf, RECORD);\n}\n${body}`;
      writeFileSync(fileName, text);
      return { fileName, text, tree: undefined as AnalyzerTree | undefined, findings: 0 };
    });
    const analyzer = loadAnalyzer(path.join(process.env.ZFS_DIO_ROOT ?? process.cwd(), 'dist', 'grammars'));
    const workspace = { roots: [dir] };
    const analyse = async (d: typeof docs[number]) => {
      const r = await analyzer.analyzeDocument(d.text, 'c', DEFAULT_SETTINGS, { fileName: d.fileName, oldTree: d.tree, workspace });
      d.tree = r.tree;
      d.findings = r.result.findings.filter((f) => f.ruleId === 'ZDIO002' && f.range.start.line === 6).length;
      return r.result.workspaceFiles;
    };
    const files = new Map<string, readonly string[] | undefined>();
    for (const d of docs) files.set(d.fileName, await analyse(d));
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const record = round % 2 === 0 ? 131072 : 6000;
      writeHeader(record);
      const t0 = performance.now();
      analyzer.workspaceFilesChanged([header]);
      const keys = documentsToRecheck([{ path: header, kind: 'changed' }], docs.map((d) => ({ key: d.fileName, workspaceFiles: files.get(d.fileName) })));
      for (const d of docs) if (keys.includes(d.fileName)) await analyse(d);
      times.push(performance.now() - t0);
      const expected = record === 6000 ? 1 : 0;
      if (keys.length !== n || docs.some((d) => d.findings !== expected)) throw new Error(`round ${round}: ${keys.length} re-checked, findings ${docs.map((d) => d.findings).join(',')}`);
    }
    for (const d of docs) d.tree?.delete();
    times.sort((a, b) => a - b);
    return { mode: 'header-change', documents: n, documentLines: docs[0]!.text.split('\n').length, rounds,
      medianMs: +times[times.length >> 1]!.toFixed(1), maxMs: +times[times.length - 1]!.toFixed(1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [mode, arg, roundsArg] = process.argv.slice(2);
  const run = mode === 'index' ? indexTree(arg!) : mode === 'header-change' ? headerChange(Number(arg), Number(roundsArg ?? 6))
    : Promise.reject(new Error('usage: workspace.cjs index <dir> | header-change <N> [rounds]'));
  run.then((r) => process.stdout.write(JSON.stringify(r) + '\n'), (e) => { console.error(e); process.exitCode = 1; });
}

#!/usr/bin/env node
// Deeply nested input, per language and shape: how long `zfs-dio scan` takes on one file that nests
// parentheses, brackets, braces, calls or if-blocks N levels deep next to an O_DIRECT site (so the
// prefilter lets the file through and the extractor walks the nesting). Not part of `npm run bench`:
// it is the reproduction for the "no input costs more than a few seconds" rule.
//
//   node bench/deep-nesting.mjs [--depth 40000,100000] [--languages c,rust,go,python] [--shapes parens,…]
//                               [--timeout SECONDS] [--cli dist/cli.js] [--keep DIR]
//
// Prints one line per case: seconds, exit code, sites found, and any note the scan wrote.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One generator per language: each returns the file text for a shape and a depth. */
const GENERATORS = {
  c: {
    ext: 'c',
    wrap: (body) => `#define _GNU_SOURCE\n#include <fcntl.h>\n#include <unistd.h>\nint a[4];\nint f(int x) { return x; }\n`
      + `void g(int c) {\n  int fd = open("f", O_RDWR | O_DIRECT);\n  char buf[4096];\n  pread(fd, buf, 1, 0);\n${body}\n}\n`,
    parens: (n) => `  int x = ${'('.repeat(n)}1${')'.repeat(n)};`,
    brackets: (n) => `  int x = ${'a['.repeat(n)}0${']'.repeat(n)};`,
    braces: (n) => `  ${'{'.repeat(n)} pread(fd, buf, 1, 0); ${'}'.repeat(n)}`,
    calls: (n) => `  int x = ${'f('.repeat(n)}1${')'.repeat(n)};`,
    ifs: (n) => `  ${'if (c) '.repeat(n)}pread(fd, buf, 1, 0);`,
  },
  rust: {
    ext: 'rs',
    wrap: (body) => `use std::os::unix::fs::{FileExt, OpenOptionsExt};\nfn f(x: i64) -> i64 { x }\n`
      + `fn g(c: bool, a: &[i64]) {\n    let file = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_DIRECT).open("f").unwrap();\n`
      + `    let mut buf = vec![0u8; 1];\n    file.read_at(&mut buf, 0).unwrap();\n${body}\n}\n`,
    parens: (n) => `    let x = ${'('.repeat(n)}1${')'.repeat(n)};`,
    brackets: (n) => `    let x = ${'['.repeat(n)}1${']'.repeat(n)};`,
    braces: (n) => `    let x = ${'{'.repeat(n)}1${'}'.repeat(n)};`,
    calls: (n) => `    let x = ${'f('.repeat(n)}1${')'.repeat(n)};`,
    ifs: (n) => `    ${'if c { '.repeat(n)}file.read_at(&mut buf, 0).unwrap();${' }'.repeat(n)}`,
  },
  go: {
    ext: 'go',
    wrap: (body) => `package main\n\nimport "syscall"\n\nvar a []int\n\nfunc f(x int) int { return x }\n\n`
      + `func g(c bool) {\n\tfd, _ := syscall.Open("f", syscall.O_RDWR|syscall.O_DIRECT, 0)\n\tbuf := make([]byte, 1)\n`
      + `\tsyscall.Pread(fd, buf, 0)\n${body}\n}\n`,
    parens: (n) => `\tx := ${'('.repeat(n)}1${')'.repeat(n)}\n\t_ = x`,
    brackets: (n) => `\tx := ${'a['.repeat(n)}0${']'.repeat(n)}\n\t_ = x`,
    braces: (n) => `\t${'{'.repeat(n)} syscall.Pread(fd, buf, 0) ${'}'.repeat(n)}`,
    calls: (n) => `\tx := ${'f('.repeat(n)}1${')'.repeat(n)}\n\t_ = x`,
    ifs: (n) => `\t${'if c { '.repeat(n)}syscall.Pread(fd, buf, 0)${' }'.repeat(n)}`,
  },
  python: {
    ext: 'py',
    wrap: (body) => `import os\n\ndef f(x):\n    return x\n\ndef g(c):\n    fd = os.open('f', os.O_RDWR | os.O_DIRECT)\n`
      + `    os.pread(fd, 1, 0)\n${body}\n`,
    parens: (n) => `    x = ${'('.repeat(n)}1${')'.repeat(n)}`,
    brackets: (n) => `    x = ${'['.repeat(n)}1${']'.repeat(n)}`,
    braces: (n) => `    x = ${'{'.repeat(n)}1${'}'.repeat(n)}`,
    calls: (n) => `    x = ${'f('.repeat(n)}1${')'.repeat(n)}`,
    // Nested blocks need one indentation step per level (quadratic size): nested conditional expressions instead.
    ifs: (n) => `    x = ${'os.pread(fd, 1, 0) if c else '.repeat(n)}1`,
  },
};
GENERATORS.cpp = { ...GENERATORS.c, ext: 'cpp' };

const SHAPES = ['parens', 'brackets', 'braces', 'calls', 'ifs'];

function parseOptions(argv) {
  const opts = { depths: [40_000, 100_000], languages: ['c', 'cpp', 'rust', 'go', 'python'], shapes: SHAPES, timeout: 300,
    cli: path.join(ROOT, 'dist/cli.js'), keep: undefined, extra: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const list = () => String(argv[++i]).split(',').filter(Boolean);
    if (a === '--depth') opts.depths = list().map(Number);
    else if (a === '--languages') opts.languages = list();
    else if (a === '--shapes') opts.shapes = list();
    else if (a === '--timeout') opts.timeout = Number(argv[++i]);
    else if (a === '--cli') opts.cli = path.resolve(argv[++i]);
    else if (a === '--keep') opts.keep = path.resolve(argv[++i]);
    else if (a === '--') opts.extra = argv.slice(i + 1), i = argv.length;
    else { console.error(`deep-nesting: unknown argument ${a}`); process.exit(2); }
  }
  for (const l of opts.languages) if (!GENERATORS[l]) { console.error(`deep-nesting: unknown language ${l}`); process.exit(2); }
  for (const s of opts.shapes) if (!SHAPES.includes(s)) { console.error(`deep-nesting: unknown shape ${s}`); process.exit(2); }
  return opts;
}

const opts = parseOptions(process.argv.slice(2));
const dir = opts.keep ?? mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-deep-'));
mkdirSync(dir, { recursive: true });
console.log(`| language | shape | depth | bytes | seconds | exit | sites | notes |`);
console.log(`|---|---|---|---|---|---|---|---|`);
try {
  for (const depth of opts.depths) {
    for (const language of opts.languages) {
      const g = GENERATORS[language];
      for (const shape of opts.shapes) {
        const file = path.join(dir, `${shape}-${depth}.${g.ext}`);
        const text = g.wrap(g[shape](depth));
        writeFileSync(file, text);
        const t0 = performance.now();
        const r = spawnSync(process.execPath, [opts.cli, 'scan', file, '--format', 'json', '--jobs', '1', '--max-file-size', '16M', ...opts.extra],
          { encoding: 'utf8', timeout: opts.timeout * 1000, maxBuffer: 256 * 1024 * 1024 });
        const seconds = ((performance.now() - t0) / 1000).toFixed(2);
        let sites = '?';
        let notes = '';
        if (r.signal) notes = `killed by ${r.signal} after the ${opts.timeout} s timeout`;
        else {
          try {
            const doc = JSON.parse(r.stdout);
            sites = String(doc.sites.length);
            notes = [...doc.notes.map((n) => n.message), ...doc.skipped.map((s) => `skipped: ${s.reason}`)].join('; ');
          } catch { notes = `no JSON: ${(r.stderr || '').split('\n')[0]}`; }
        }
        console.log(`| ${language} | ${shape} | ${depth} | ${text.length} | ${seconds} | ${r.status ?? '-'} | ${sites} | ${notes.slice(0, 160)} |`);
        if (!opts.keep) rmSync(file, { force: true });
      }
    }
  }
} finally {
  if (!opts.keep) rmSync(dir, { recursive: true, force: true });
}

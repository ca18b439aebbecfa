// Deterministic synthetic source tree for the whole-tree benchmark: C, C++, Rust, Go and Python
// files of plausible shape (structs, loops, error handling, comments), with the calls the scanner
// looks for sprinkled into a small share of them, the way real trees have few such files.
// Same seed + same sizes = byte-identical tree, so runs on different machines compare.
import { mkdirSync, writeFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/** mulberry32: a tiny seeded PRNG, enough for reproducible variety. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['block', 'page', 'extent', 'record', 'cache', 'index', 'entry', 'node', 'buffer', 'chunk', 'segment', 'range',
  'offset', 'count', 'length', 'table', 'queue', 'slot', 'epoch', 'txg', 'zio', 'vdev', 'arc', 'dbuf', 'span', 'batch', 'cursor'];

function makeNamer(rand) {
  const pick = (arr) => arr[Math.floor(rand() * arr.length)];
  return { pick, ident: () => `${pick(WORDS)}_${pick(WORDS)}`, camel: () => { const w = pick(WORDS); const v = pick(WORDS); return w + v[0].toUpperCase() + v.slice(1); },
    pascal: () => { const w = pick(WORDS); const v = pick(WORDS); return w[0].toUpperCase() + w.slice(1) + v[0].toUpperCase() + v.slice(1); },
    int: (max) => Math.floor(rand() * max) };
}

// ---- per-language bodies: each returns lines; `site` is one of null | 'cfr' | 'odirect' | 'comment'

function cFunction(n, i) {
  const f = `${n.ident()}_${i}`; const s = n.ident(); const x = n.ident();
  return [
    `/* ${f}: walks the ${s} list and accumulates ${x}. */`,
    `static int ${f}(struct ${s} *head, size_t limit, uint64_t *out)`,
    `{`,
    `\tuint64_t total = 0;`,
    `\tsize_t seen = 0;`,
    `\tfor (struct ${s} *p = head; p != NULL && seen < limit; p = p->next) {`,
    `\t\tif (p->flags & ${1 << n.int(8)}U)`,
    `\t\t\tcontinue;`,
    `\t\ttotal += (uint64_t)p->${x} * ${n.int(64) + 1};`,
    `\t\tseen++;`,
    `\t}`,
    `\tif (seen == 0)`,
    `\t\treturn -EINVAL;`,
    `\t*out = total >> ${n.int(12)};`,
    `\treturn 0;`,
    `}`,
    ``,
  ];
}

function cSite(kind, i) {
  if (kind === 'cfr') return [
    `static ssize_t clone_range_${i}(int src_fd, int dst_fd)`,
    `{`,
    `\tloff_t in_off = 0, out_off = 262144;`,
    `\treturn copy_file_range(src_fd, &in_off, dst_fd, &out_off, 196608, 0);`,
    `}`, ``];
  if (kind === 'odirect') return [
    `static int direct_read_${i}(const char *path)`,
    `{`,
    `\tint fd = open(path, O_RDONLY | O_DIRECT);`,
    `\tchar *buf = malloc(65536);`,
    `\tssize_t n = pread(fd, buf, 4000, 512);`,
    `\tfree(buf);`,
    `\tclose(fd);`,
    `\treturn n < 0 ? -1 : 0;`,
    `}`, ``];
  return [`/* This module never calls copy_file_range or opens with O_DIRECT; see the design note. */`, ``];
}

function cFile(n, count, site, i, cpp) {
  const lines = [`// Generated benchmark source ${i}. Not real code; shaped like it.`,
    cpp ? '#include <cstdint>\n#include <cstddef>\n#include <cerrno>\n#include <fcntl.h>\n#include <unistd.h>' :
      '#include <stdint.h>\n#include <stddef.h>\n#include <errno.h>\n#include <stdlib.h>\n#include <fcntl.h>\n#include <unistd.h>',
    ``];
  const s = n.ident();
  lines.push(`struct ${s} {`, `\tstruct ${s} *next;`, `\tuint32_t flags;`, `\tuint64_t ${n.ident()};`, `};`, ``);
  if (cpp) lines.push(`namespace ${n.ident()} {`, `class ${n.pascal()} {`, ` public:`, `  explicit ${n.pascal()}(int v) : value_(v) {}`,
    `  int value() const { return value_; }`, ` private:`, `  int value_;`, `};`, `}  // namespace`, ``);
  let k = 0;
  while (lines.length < count) lines.push(...cFunction(n, k++));
  if (site) lines.push(...cSite(site, i));
  return lines.join('\n') + '\n';
}

function rustFile(n, count, site, i) {
  const lines = [`// Generated benchmark source ${i}.`, `use std::collections::HashMap;`, `use std::io;`, ``];
  const st = n.pascal();
  lines.push(`#[derive(Debug, Clone, Default)]`, `pub struct ${st} {`, `    pub id: u64,`, `    pub ${n.ident()}: usize,`, `    pub tags: Vec<String>,`, `}`, ``);
  let k = 0;
  while (lines.length < count) {
    const f = `${n.ident()}_${k++}`;
    lines.push(`/// Folds the ${n.ident()} values into a map keyed by id.`,
      `pub fn ${f}(items: &[${st}], limit: usize) -> io::Result<HashMap<u64, usize>> {`,
      `    let mut out = HashMap::new();`,
      `    for (idx, item) in items.iter().enumerate().take(limit) {`,
      `        if item.tags.is_empty() {`,
      `            continue;`,
      `        }`,
      `        *out.entry(item.id).or_insert(0) += idx * ${n.int(100) + 1};`,
      `    }`,
      `    if out.is_empty() {`,
      `        return Err(io::Error::new(io::ErrorKind::InvalidInput, "empty"));`,
      `    }`,
      `    Ok(out)`,
      `}`, ``);
  }
  if (site === 'cfr') lines.push(`pub fn clone_${i}(a: i32, b: i32) -> isize {`, `    let mut off_in: i64 = 0;`, `    let mut off_out: i64 = 262144;`,
    `    unsafe { libc::copy_file_range(a, &mut off_in, b, &mut off_out, 196608, 0) as isize }`, `}`, ``);
  else if (site === 'odirect') lines.push(`pub fn open_direct_${i}(p: &std::path::Path) -> io::Result<std::fs::File> {`,
    `    use std::os::unix::fs::OpenOptionsExt;`, `    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_DIRECT).open(p)`, `}`, ``);
  else if (site === 'comment') lines.push(`// We deliberately avoid copy_file_range here.`, ``);
  return lines.join('\n') + '\n';
}

function goFile(n, count, site, i) {
  const lines = [`// Generated benchmark source ${i}.`, `package ${n.pick(WORDS)}`, ``, `import (`, `\t"errors"`, `\t"os"`];
  if (site === 'cfr') lines.push(`\t"golang.org/x/sys/unix"`);
  if (site === 'odirect') lines.push(`\t"syscall"`);
  lines.push(`)`, ``, `var _ = os.Getpid`, ``);
  const st = n.pascal();
  lines.push(`type ${st} struct {`, `\tID    uint64`, `\tCount int`, `\tNext  *${st}`, `}`, ``);
  let k = 0;
  while (lines.length < count) {
    lines.push(`// ${n.pascal()}${k} sums the counts along the list.`, `func ${n.pascal()}${k++}(head *${st}, limit int) (int, error) {`,
      `\ttotal := 0`, `\tfor p, seen := head, 0; p != nil && seen < limit; p, seen = p.Next, seen+1 {`,
      `\t\tif p.Count < 0 {`, `\t\t\treturn 0, errors.New("negative count")`, `\t\t}`, `\t\ttotal += p.Count * ${n.int(50) + 1}`, `\t}`,
      `\treturn total, nil`, `}`, ``);
  }
  if (site === 'cfr') lines.push(`func Clone${i}(src, dst int) (int, error) {`, `\tvar offIn, offOut int64 = 0, 262144`,
    `\treturn unix.CopyFileRange(src, &offIn, dst, &offOut, 196608, 0)`, `}`, ``);
  else if (site === 'odirect') lines.push(`func OpenDirect${i}(p string) (*os.File, error) {`, `\treturn os.OpenFile(p, os.O_RDONLY|syscall.O_DIRECT, 0)`, `}`, ``);
  else if (site === 'comment') lines.push(`// FICLONE is not used in this package.`, ``);
  return lines.join('\n') + '\n';
}

function pyFile(n, count, site, i) {
  const lines = [`# Generated benchmark source ${i}.`, `import os`, `from dataclasses import dataclass, field`, ``, ``];
  const st = n.pascal();
  lines.push(`@dataclass`, `class ${st}:`, `    ident: int`, `    count: int = 0`, `    tags: list = field(default_factory=list)`, ``, ``);
  let k = 0;
  while (lines.length < count) {
    lines.push(`def ${n.ident()}_${k++}(items, limit=${n.int(1000) + 1}):`, `    """Totals the counts of tagged ${n.ident()} items."""`,
      `    total = 0`, `    for idx, item in enumerate(items[:limit]):`, `        if not item.tags:`, `            continue`,
      `        total += item.count * ${n.int(9) + 1}`, `    if total < 0:`, `        raise ValueError("negative total")`, `    return total`, ``, ``);
  }
  if (site === 'cfr') lines.push(`def clone_${i}(src, dst):`, `    return os.copy_file_range(src, dst, 196608, 0, 262144)`, ``);
  else if (site === 'odirect') lines.push(`def read_direct_${i}(path):`, `    fd = os.open(path, os.O_RDONLY | os.O_DIRECT)`,
    `    try:`, `        return os.pread(fd, 4000, 0)`, `    finally:`, `        os.close(fd)`, ``);
  else if (site === 'comment') lines.push(`# O_DIRECT is deliberately not used here.`, ``);
  return lines.join('\n') + '\n';
}

const KINDS = [
  { ext: '.c', weight: 26, make: (n, c, s, i) => cFile(n, c, s, i, false) },
  { ext: '.h', weight: 6, make: (n, c, _s, i) => cFile(n, Math.min(c, 60), null, i, false) },
  { ext: '.cpp', weight: 18, make: (n, c, s, i) => cFile(n, c, s, i, true) },
  { ext: '.rs', weight: 18, make: rustFile },
  { ext: '.go', weight: 16, make: goFile },
  { ext: '.py', weight: 16, make: pyFile },
];

/**
 * Writes the tree under `dir` unless a manifest with the same parameters is already there.
 * Returns { files, lines, bytes, siteFiles }.
 */
export function generateTree(dir, { files = 22000, meanLines = 100, seed = 16958, siteShare = 0.03, commentShare = 0.01 } = {}) {
  const manifestPath = path.join(dir, 'MANIFEST.json');
  const params = { files, meanLines, seed, siteShare, commentShare, generator: 3 };
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (JSON.stringify(m.params) === JSON.stringify(params)) return m.totals;
  }
  rmSync(dir, { recursive: true, force: true });
  const rand = rng(seed);
  const n = makeNamer(rand);
  const totalWeight = KINDS.reduce((s, k) => s + k.weight, 0);
  const totals = { files: 0, lines: 0, bytes: 0, siteFiles: 0 };
  for (let i = 0; i < files; i++) {
    let r = rand() * totalWeight;
    const kind = KINDS.find((k) => (r -= k.weight) < 0) ?? KINDS[0];
    const roll = rand();
    const site = roll < siteShare ? (rand() < 0.5 ? 'cfr' : 'odirect') : roll < siteShare + commentShare ? 'comment' : null;
    const count = Math.max(20, Math.round(meanLines * (0.3 + 1.4 * rand())));
    const fileSite = kind.ext === '.h' ? null : site;
    const text = kind.make(n, count, fileSite, i);
    // 3 levels: 20 top directories x 10 x ~110 files each
    const sub = path.join(dir, `mod${i % 20}`, `part${Math.floor(i / 20) % 10}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `${n.pick(WORDS)}_${i}${kind.ext}`), text);
    totals.files++;
    totals.lines += text.split('\n').length - 1;
    totals.bytes += Buffer.byteLength(text);
    if (fileSite === 'cfr' || fileSite === 'odirect') totals.siteFiles++;
  }
  writeFileSync(manifestPath, JSON.stringify({ params, totals }, null, 2));
  return totals;
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const dir = process.argv[2] ?? 'bench/.work/generated';
  const t0 = Date.now();
  console.log(generateTree(dir), `${Date.now() - t0} ms`);
}

// Writes or checks the parts of package.json that repeat facts declared in code (src/editor/manifest-contributions.ts
// lists them: the commands and menus from the command catalog, the severity setting from the rule table).
//   node scripts/manifest.mjs --write    regenerate those parts in package.json
//   node scripts/manifest.mjs --check    exit 1, naming the first differing key, when package.json is out of date
//   --package FILE                       another manifest than the repository's package.json
// Only the generated values are replaced, in place: every other byte of the file stays as it is.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WRITE_COMMAND = 'node scripts/manifest.mjs --write';

function usage(message) {
  process.stderr.write(`manifest: ${message}\nusage: node scripts/manifest.mjs --write|--check [--package FILE]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  let mode;
  let file = path.join(root, 'package.json');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--write' || arg === '--check') {
      if (mode && mode !== arg) usage('give --write or --check, not both');
      mode = arg;
    } else if (arg === '--package') {
      const value = argv[++i];
      if (!value) usage('--package needs a file');
      file = path.resolve(value);
    } else usage(`unknown argument ${JSON.stringify(arg)}`);
  }
  if (!mode) usage('give --write or --check');
  return { mode, file };
}

/** The TypeScript module that derives the parts, bundled in memory (it imports the rule table and the catalog). */
async function loadContributions() {
  const result = await build({
    entryPoints: [path.join(root, 'src/editor/manifest-contributions.ts')], bundle: true, write: false,
    format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/**
 * Parses JSON text into nodes that remember where each value starts and ends, so a value can be replaced
 * without reformatting the rest of the file. Throws with the offset on invalid JSON.
 */
function parseWithSpans(text) {
  let i = 0;
  const fail = (what) => { throw new Error(`invalid JSON at offset ${i}: ${what}`); };
  const skipSpace = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const string = () => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const value = () => {
    skipSpace();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members = new Map();
      skipSpace();
      if (text[i] === '}') { i++; return { start, end: i, members }; }
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail('expected a key');
        const key = string();
        skipSpace();
        if (text[i++] !== ':') fail('expected ":"');
        members.set(key, value());
        skipSpace();
        if (text[i] === ',') { i++; continue; }
        if (text[i++] !== '}') fail('expected "," or "}"');
        return { start, end: i, members };
      }
    }
    if (c === '[') {
      i++;
      const items = [];
      skipSpace();
      if (text[i] === ']') { i++; return { start, end: i, items }; }
      for (;;) {
        items.push(value());
        skipSpace();
        if (text[i] === ',') { i++; continue; }
        if (text[i++] !== ']') fail('expected "," or "]"');
        return { start, end: i, items };
      }
    }
    if (c === '"') { string(); return { start, end: i }; }
    const scalar = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!scalar) fail('expected a value');
    i += scalar[0].length;
    return { start, end: i };
  };
  const node = value();
  skipSpace();
  if (i !== text.length) fail('text after the value');
  return node;
}

function nodeAt(rootNode, keyPath, formatKey) {
  let node = rootNode;
  for (let k = 0; k < keyPath.length; k++) {
    const key = keyPath[k];
    const next = typeof key === 'number' ? node.items?.[key] : node.members?.get(key);
    if (!next) throw new Error(`package.json has no ${formatKey(keyPath.slice(0, k + 1))}`);
    node = next;
  }
  return node;
}

/** The value as JSON with 2-space indentation, its continuation lines indented like the line it starts on. */
function formatAt(text, offset, value) {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))[0];
  return JSON.stringify(value, null, 2).split('\n').join(`\n${indent}`);
}

function preview(value) {
  if (value === undefined) return '(nothing)';
  const json = JSON.stringify(value);
  return json.length > 160 ? `${json.slice(0, 157)}...` : json;
}

const { mode, file } = parseArgs(process.argv.slice(2));
const relative = path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file);
let text;
try { text = readFileSync(file, 'utf8'); } catch (err) { usage(`cannot read ${relative}: ${err.message}`); }
const { manifestParts, firstDifference, formatKey } = await loadContributions();

let tree;
try { tree = parseWithSpans(text); } catch (err) {
  process.stderr.write(`manifest: ${relative} is not valid JSON: ${err.message}\n`);
  process.exit(1);
}

const edits = [];
const missing = [];
const differences = [];
for (const part of manifestParts()) {
  let node;
  try { node = nodeAt(tree, part.path, formatKey); } catch (err) { missing.push(err.message); continue; }
  const current = text.slice(node.start, node.end);
  const wanted = formatAt(text, node.start, part.value);
  if (current === wanted) continue;
  edits.push({ start: node.start, end: node.end, text: wanted });
  const difference = firstDifference(JSON.parse(current), part.value, part.path);
  differences.push(difference
    ? { key: difference.key, owner: part.owner,
      detail: `${difference.key} differs from ${part.owner}:\n  - package.json: ${preview(difference.actual)}\n  + ${part.owner}: ${preview(difference.expected)}` }
    : { key: formatKey(part.path), owner: part.owner,
      detail: `${formatKey(part.path)} holds the values of ${part.owner}, laid out differently (key order or indentation)` });
}
if (missing.length) {
  // Where a generated part goes is a choice made once, by hand: the script only replaces values that exist.
  process.stderr.write(`manifest: ${missing.map((m) => `${m}; add the key (any value) where it belongs, then run ${WRITE_COMMAND}`).join('\n')}\n`);
  process.exit(1);
}

if (mode === '--check') {
  if (differences.length === 0) {
    console.log(`manifest: ${relative} is up to date with src/core/rules.ts and src/shared/command-catalog.ts`);
    process.exit(0);
  }
  process.stderr.write(`manifest: ${relative} is out of date:\n${differences.map((d) => `${d.detail}\n`).join('')}Run ${WRITE_COMMAND} to regenerate it.\n`);
  process.exit(1);
}

let updated = text;
for (const edit of edits.sort((a, b) => b.start - a.start)) updated = updated.slice(0, edit.start) + edit.text + updated.slice(edit.end);
JSON.parse(updated);
if (updated === text) {
  console.log(`manifest: ${relative} was already up to date`);
} else {
  writeFileSync(file, updated);
  console.log(`manifest: rewrote ${relative}:\n${differences.map((d) => `  ${d.key} (from ${d.owner})`).join('\n')}`);
}

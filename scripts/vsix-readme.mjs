// Writes the README that goes into the .vsix, which VS Code shows as the extension's details page.
// That page resolves no relative image link for an installed extension (and its Content-Security-Policy allows
// only https: and data: images), so each local image of README.md is inlined as a data: URI. Links stay as written.
// Usage: node scripts/vsix-readme.mjs OUT.md
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2];
if (!out) { console.error('usage: node scripts/vsix-readme.mjs OUT.md'); process.exit(2); }

const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
let inlined = 0;
const text = readme.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, alt, target) => {
  if (/^[a-z]+:/i.test(target)) return whole;
  const file = path.join(root, target);
  const type = TYPES[path.extname(file).toLowerCase()];
  if (!type) throw new Error(`README.md: ${target}: only PNG, JPEG and GIF images can be shown on the details page`);
  if (!existsSync(file)) throw new Error(`README.md: image ${target} does not exist`);
  inlined += 1;
  return `![${alt}](data:${type};base64,${readFileSync(file).toString('base64')})`;
});
writeFileSync(out, text);
console.log(`vsix-readme: ${out} (${inlined} images inlined, ${Math.round(text.length / 1024)} KiB)`);

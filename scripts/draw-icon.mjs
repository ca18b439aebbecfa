// Draws the extension's 128×128 icon (media/icons/icon.png): a rounded tile with three rows of blocks, as
// records on a dataset, and one orange block that straddles a block boundary, as a misaligned request.
// Usage: node scripts/draw-icon.mjs [out.png]. Plain Node (zlib for the PNG), so anyone can redraw it.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const SUPERSAMPLE = 4; // 4×4 samples per pixel smooth the rounded corners
const BACKGROUND = [22, 58, 94];
const BLOCK = [214, 228, 240];
const MISALIGNED = [245, 140, 40];

/** Rounded rectangle test in icon coordinates (0..128). */
function inRoundedRect(x, y, left, top, width, height, radius) {
  if (x < left || y < top || x > left + width || y > top + height) return false;
  const cx = Math.min(Math.max(x, left + radius), left + width - radius);
  const cy = Math.min(Math.max(y, top + radius), top + height - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

// Three rows of four blocks; the orange block sits between two blocks of the middle row.
const blocks = [];
for (let row = 0; row < 3; row++) {
  for (let col = 0; col < 4; col++) {
    if (row === 1 && (col === 1 || col === 2)) continue;
    blocks.push({ left: 18 + col * 24, top: 30 + row * 26, color: BLOCK });
  }
}
blocks.push({ left: 18 + 1.5 * 24 - 7, top: 30 + 26 + 7, color: MISALIGNED });

function colorAt(x, y) {
  if (!inRoundedRect(x, y, 2, 2, 124, 124, 22)) return null;
  for (const b of blocks) {
    if (inRoundedRect(x, y, b.left, b.top, 20, 20, 3)) return b.color;
  }
  return BACKGROUND;
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0, then RGBA
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SUPERSAMPLE; sy++) {
      for (let sx = 0; sx < SUPERSAMPLE; sx++) {
        const c = colorAt(px + (sx + 0.5) / SUPERSAMPLE, py + (sy + 0.5) / SUPERSAMPLE);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a += 255;
      }
    }
    const n = SUPERSAMPLE * SUPERSAMPLE;
    const covered = a / 255;
    row.set(covered ? [Math.round(r / covered), Math.round(g / covered), Math.round(b / covered), Math.round(a / n)] : [0, 0, 0, 0], 1 + px * 4);
  }
  rows.push(row);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? path.join(root, 'media/icons/icon.png');
writeFileSync(out, png);
console.log(`draw-icon: ${out} (${png.length} bytes)`);

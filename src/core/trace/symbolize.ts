// Turns the tracer's stack frames into source lines with the program's debug information:
// binutils' addr2line, one run per binary with every address of it. strace prints a frame as an
// offset into the binary's file; addr2line wants a virtual address, which the ELF program headers
// give (PT_LOAD: vaddr = p_vaddr + offset - p_offset), for position-independent and fixed binaries alike.
import { execa } from 'execa';
import { open } from 'node:fs/promises';
import type { RawFrame } from './strace-output';

export interface SourceFrame { file: string; line: number; function?: string }

interface LoadSegment { offset: number; vaddr: number; size: number }

/** The PT_LOAD segments of a 64-bit little-endian ELF file, or undefined when it is not one. */
export async function loadSegments(file: string): Promise<LoadSegment[] | undefined> {
  let handle;
  try { handle = await open(file, 'r'); } catch { return undefined; }
  try {
    const header = Buffer.alloc(64);
    await handle.read(header, 0, 64, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) return undefined;
    const phoff = Number(header.readBigUInt64LE(32));
    const phentsize = header.readUInt16LE(54);
    const phnum = header.readUInt16LE(56);
    if (phnum === 0 || phnum > 256 || phentsize < 56) return undefined;
    const table = Buffer.alloc(phentsize * phnum);
    await handle.read(table, 0, table.length, phoff);
    const segments: LoadSegment[] = [];
    for (let i = 0; i < phnum; i++) {
      const at = i * phentsize;
      if (table.readUInt32LE(at) !== 1) continue;   // PT_LOAD
      segments.push({ offset: Number(table.readBigUInt64LE(at + 8)), vaddr: Number(table.readBigUInt64LE(at + 16)), size: Number(table.readBigUInt64LE(at + 32)) });
    }
    return segments;
  } finally {
    await handle.close();
  }
}

export function virtualAddress(segments: readonly LoadSegment[], fileOffset: number): number | undefined {
  const s = segments.find((seg) => fileOffset >= seg.offset && fileOffset < seg.offset + seg.size);
  return s ? s.vaddr + (fileOffset - s.offset) : undefined;
}

/** Libraries of the system, whose frames are never the program's own code. */
export function isSystemBinary(binary: string): boolean {
  return /^\/(?:usr\/)?lib(?:32|64|x32)?\//.test(binary) || binary.includes('/ld-linux') || /\/(?:libc|libpthread|libpython[0-9.]*)\.so/.test(binary);
}

/**
 * Source files of the system and of toolchains (libc headers, libstdc++, Rust's std built under
 * /rustc/<hash>, Go's standard library under /usr/lib/go*): a finding goes on the first frame
 * below them, the line of the program's own code.
 */
export function isSystemSource(file: string): boolean {
  return /^\/(?:usr|lib|lib64|rustc|build)\//.test(file) || /\/go(?:-[0-9.]+)?\/src\/(?:runtime|syscall|os|internal|io)\//.test(file)
    || file.startsWith('<');
}

export interface Symbolizer {
  /** Source lines for the frames, one per frame (undefined where the binary has no line information). */
  resolve(frames: readonly RawFrame[]): Promise<(SourceFrame | undefined)[]>;
}

/** Resolves every frame of the given binaries in one addr2line run per binary, with a cache. */
export function createSymbolizer(addr2line = 'addr2line', signal?: AbortSignal): Symbolizer & { prefetch(frames: readonly RawFrame[]): Promise<void>; unavailable?: string } {
  const cache = new Map<string, SourceFrame | undefined>();
  const key = (f: RawFrame) => `${f.binary}\0${f.fileOffset}`;
  const state: { unavailable?: string } = {};
  async function prefetch(frames: readonly RawFrame[]): Promise<void> {
    const byBinary = new Map<string, Set<number>>();
    for (const f of frames) {
      if (isSystemBinary(f.binary) || cache.has(key(f))) continue;
      let set = byBinary.get(f.binary);
      if (!set) byBinary.set(f.binary, set = new Set());
      set.add(f.fileOffset);
    }
    for (const [binary, offsets] of byBinary) {
      const segments = await loadSegments(binary);
      const list = [...offsets];
      // A frame's address is the return address: the call is the byte before it.
      const addresses = list.map((o) => segments ? virtualAddress(segments, o > 0 ? o - 1 : o) : undefined);
      const asked = addresses.filter((a): a is number => a !== undefined);
      let lines: string[] = [];
      if (asked.length > 0) {
        const r = await execa(addr2line, ['-f', '-C', '-e', binary, ...asked.map((a) => '0x' + a.toString(16))],
          { reject: false, timeout: 30_000, cancelSignal: signal, stdin: 'ignore' });
        if ((r as { code?: string }).code === 'ENOENT') state.unavailable = `${addr2line} was not found (apt-get install binutils)`;
        lines = String(r.stdout ?? '').split('\n');
      }
      let next = 0;
      list.forEach((offset, i) => {
        if (addresses[i] === undefined) { cache.set(`${binary}\0${offset}`, undefined); return; }
        const fn = lines[next * 2];
        const where = lines[next * 2 + 1];
        next++;
        cache.set(`${binary}\0${offset}`, parseAddr2line(fn, where));
      });
    }
  }
  return {
    prefetch,
    get unavailable() { return state.unavailable; },
    async resolve(frames) {
      await prefetch(frames);
      return frames.map((f) => cache.get(key(f)));
    },
  };
}

function parseAddr2line(fn: string | undefined, where: string | undefined): SourceFrame | undefined {
  if (!where) return undefined;
  const m = /^(.*):(\d+)(?: \(discriminator \d+\))?$/.exec(where.trim());
  if (!m || m[1] === '??' || m[2] === '0') return undefined;
  return { file: m[1]!, line: Number(m[2]), ...(fn && fn !== '??' ? { function: fn } : {}) };
}

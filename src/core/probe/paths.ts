// Resolves the directory a probe works in, once, before the runner starts. The runner then opens
// that resolved path without following any link, so what is decided here is what gets used.
// A symbolic link is followed only when it belongs to this user or to root, the rule the kernel
// applies in world-writable sticky directories (fs.protected_symlinks): root probing a shared
// dataset must not be led elsewhere by a link another user planted in the path.
import { lstat, readlink } from 'node:fs/promises';
import path from 'node:path';
import { ProbeError } from './errors';

const MAX_LINKS = 40;   // as the kernel's ELOOP limit

export async function resolveTrustedPath(given: string, uid: number = process.geteuid?.() ?? -1): Promise<string> {
  // Not path.resolve: it would apply `..` to the text, before the links in front of it are resolved.
  let pending = (given.startsWith('/') ? given : `${process.cwd()}/${given}`).split('/').filter(Boolean);
  let resolved = '/';
  let links = 0;
  while (pending.length) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') { resolved = path.dirname(resolved); continue; }
    const next = path.join(resolved, part);
    const st = await lstat(next);
    if (!st.isSymbolicLink()) { resolved = next; continue; }
    if (st.uid !== uid && st.uid !== 0) {
      throw new ProbeError('BAD_INPUT', `${JSON.stringify(next)} is a symbolic link owned by uid ${st.uid}, not by this user or root: `
        + 'another user could have planted it, so the probe does not follow it. Give the real path of the directory instead.');
    }
    if (++links > MAX_LINKS) throw new ProbeError('BAD_INPUT', `too many symbolic links in ${JSON.stringify(given)}`);
    const target = await readlink(next);
    pending = [...target.split('/').filter(Boolean), ...pending];
    if (path.isAbsolute(target)) resolved = '/';
  }
  return resolved;
}

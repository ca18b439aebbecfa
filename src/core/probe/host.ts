// The probe's view of the machine: external commands (through the one exec wrapper) and the few
// files and syscalls it reads. Tests substitute recorded output here; production uses realHost().
import { readFile, stat, statfs as fsStatfs } from 'node:fs/promises';
import os from 'node:os';
import { execCommand, type ExecFn } from './exec';
import { resolveTrustedPath } from './paths';

export interface StatfsInfo { type: number; bsize: number }

export interface ProbeHost {
  exec: ExecFn;
  /** File content, or null when the file does not exist (a missing module parameter is data, not an error). */
  readText(path: string): Promise<string | null>;
  statfs(path: string): Promise<StatfsInfo>;
  /** stat() (following symlinks: the user named this path); rejects with the errno like fs.stat. */
  isDirectory(path: string): Promise<boolean>;
  /** The path with every symbolic link resolved, refusing links of other users (see paths.ts); rejects like fs.lstat. */
  realPath(path: string): Promise<string>;
  kernelRelease(): string;
  env: NodeJS.ProcessEnv;
  cwd(): string;
}

export function realHost(): ProbeHost {
  return {
    exec: execCommand,
    async readText(p) {
      try {
        return await readFile(p, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return null;
        throw e;
      }
    },
    async statfs(p) {
      const st = await fsStatfs(p);
      return { type: Number(st.type), bsize: Number(st.bsize) };
    },
    isDirectory: async (p) => (await stat(p)).isDirectory(),
    realPath: (p) => resolveTrustedPath(p),
    kernelRelease: () => os.release(),
    env: process.env,
    cwd: () => process.cwd(),
  };
}

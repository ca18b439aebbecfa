// The probe's work directory is resolved once, following only symbolic links of this user or root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lchownSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProbeError } from '../../../src/core/probe/errors';
import { resolveTrustedPath } from '../../../src/core/probe/paths';

const isRoot = process.getuid?.() === 0;

function tree() {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-paths-')));
  mkdirSync(path.join(dir, 'real', 'sub'), { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('links of this user are followed: absolute, relative, chained, with .. after them', async () => {
  const t = tree();
  try {
    symlinkSync(path.join(t.dir, 'real'), path.join(t.dir, 'abs'));
    symlinkSync('real/sub', path.join(t.dir, 'rel'));
    symlinkSync('abs', path.join(t.dir, 'chain'));
    const real = path.join(t.dir, 'real');
    assert.equal(await resolveTrustedPath(path.join(t.dir, 'abs')), real);
    assert.equal(await resolveTrustedPath(path.join(t.dir, 'rel')), path.join(real, 'sub'));
    assert.equal(await resolveTrustedPath(path.join(t.dir, 'chain', 'sub')), path.join(real, 'sub'));
    assert.equal(await resolveTrustedPath(`${t.dir}/rel/..`), real, '.. applies to the link target, as the kernel does');
    assert.equal(await resolveTrustedPath(`${t.dir}/real/./sub`), path.join(real, 'sub'));
  } finally {
    t.cleanup();
  }
});

test('a link owned by another user is refused with a message naming it; a link loop is refused', async () => {
  const t = tree();
  try {
    const planted = path.join(t.dir, 'planted');
    symlinkSync(path.join(t.dir, 'real'), planted);
    if (isRoot) {
      lchownSync(planted, 65534, 65534);
      await assert.rejects(resolveTrustedPath(path.join(planted, 'sub')), (e: unknown) => e instanceof ProbeError && e.code === 'BAD_INPUT'
        && e.message.startsWith(`"${planted}" is a symbolic link owned by uid 65534, not by this user or root`));
    } else {
      // as an ordinary user the same rule is seen through the uid argument
      await assert.rejects(resolveTrustedPath(planted, 12345), (e: unknown) => e instanceof ProbeError && /owned by uid \d+, not by this user or root/.test(e.message));
    }
    symlinkSync('loop-b', path.join(t.dir, 'loop-a'));
    symlinkSync('loop-a', path.join(t.dir, 'loop-b'));
    await assert.rejects(resolveTrustedPath(path.join(t.dir, 'loop-a')), (e: unknown) => e instanceof ProbeError && /too many symbolic links/.test(e.message));
    await assert.rejects(resolveTrustedPath(path.join(t.dir, 'missing')), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT');
  } finally {
    t.cleanup();
  }
});

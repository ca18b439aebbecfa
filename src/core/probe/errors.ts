// The one error type of the probe layer. `code` is stable (callers map it to exit codes and UI);
// `message` is a complete sentence a user can act on. A pointer to an explanation is kept apart in
// `article`: the command line prints it as a path, the editor and the panel offer it as a link.
import type { ProbeErrorCode } from '../types';

/** The overview article shown when ZFS itself is missing. */
export const NO_ZFS_ARTICLE = 'media/articles/how-direct-io-works.md';

export class ProbeError extends Error {
  readonly code: ProbeErrorCode;
  /** Raw detail (stderr of a failed command, errno name) for logs; not needed to understand `message`. */
  readonly detail?: string;
  /** An article that explains the situation, relative to the extension root. */
  readonly article?: string;
  /** Set when the failed probe could not remove what it created on the dataset: what is left, and why. */
  readonly leftBehind?: string;
  /** NO_ZFS only: the zfs tools are installed and ran; the kernel module is what is missing. */
  readonly zfsInstalled?: boolean;

  constructor(code: ProbeErrorCode, message: string, opts: { detail?: string; article?: string; cause?: unknown; leftBehind?: string; zfsInstalled?: boolean } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ProbeError';
    this.code = code;
    if (opts.detail !== undefined) this.detail = opts.detail;
    if (opts.article !== undefined) this.article = opts.article;
    if (opts.leftBehind !== undefined) this.leftBehind = opts.leftBehind;
    if (opts.zfsInstalled !== undefined) this.zfsInstalled = opts.zfsInstalled;
  }
}

export function isProbeError(e: unknown): e is ProbeError {
  return e instanceof ProbeError;
}

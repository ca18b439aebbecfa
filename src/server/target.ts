// Loads `zfsDio.target` into a TargetSystem. Pure apart from the two readers it is given, so the
// report/dataset decision and the error messages are unit-tested without VS Code.
import { parseTargetReport, targetFromReport, type TargetSystem } from '../core/knowledge/target';
import type { ProbeReport } from '../core/types';

export interface TargetReaders {
  readFile(path: string): Promise<string>;
  /** Reads a dataset of this machine (zfs get, module version): never runs an experiment. */
  describeDataset(name: string): Promise<ProbeReport>;
}

/** A value that looks like a file path (absolute, relative, or *.json) names a saved report. */
export function targetNamesReport(value: string): boolean {
  return value.startsWith('/') || value.startsWith('./') || value.startsWith('../') || value.startsWith('~') || /\.json$/i.test(value);
}

export async function loadTarget(value: string, readers: TargetReaders, resolvePath: (p: string) => string = (p) => p): Promise<TargetSystem> {
  if (targetNamesReport(value)) {
    const file = resolvePath(value);
    let text: string;
    try { text = await readers.readFile(file); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`zfsDio.target: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`);
    }
    try { return targetFromReport(parseTargetReport(text, file), 'report'); } catch (e) {
      throw new Error(`zfsDio.target: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  try { return targetFromReport(await readers.describeDataset(value), 'dataset'); } catch (e) {
    throw new Error(`zfsDio.target: dataset ${value}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// TEMPORARY PLACEHOLDER written by the CLI helper so main.ts can dispatch `probe` before the probe
// lands. The probe helper replaces this whole file (see /work/brief/notes-cli.md). Not a feature.
import type { CliIO } from './io';

export async function run(_argv: string[], io: CliIO): Promise<number> {
  io.stderr.write('zfs-dio probe: not built yet\n');
  return 2;
}

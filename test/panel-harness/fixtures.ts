// Probe reports for the panel harness and the panel unit tests: the knowledge helper's fixtures in
// test/fixtures/knowledge/, whose outcomes were measured on real OpenZFS 2.3.0 and 2.3.2 modules
// (see that folder's README for the mapping and the gaps). Nothing is invented here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DatasetInfo, ProbeReport } from '../../src/core/types';

export type FixtureName = 'zfs-2.3.2-standard' | 'zfs-2.3.2-always' | 'zfs-2.3.0-always' | 'zfs-2.3.0-standard';

export function fixtureReport(name: FixtureName, root: string): ProbeReport {
  return JSON.parse(readFileSync(path.join(root, 'test/fixtures/knowledge', `${name}.json`), 'utf8')) as ProbeReport;
}

/** The dataset list the host would send for a machine where this report was taken. */
export function datasetsOf(report: ProbeReport): DatasetInfo[] {
  return report.dataset ? [report.dataset] : [];
}

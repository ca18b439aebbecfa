// Host-message scripts for the panel harness: each scenario is what the real host would send after
// the webview says `ready`, plus what it answers to openArticle / runProbe. Built on Node by build.mjs
// from measured probe fixtures, real articles and (when the analyzer exists) a real finding.
import { readFileSync } from 'node:fs';
import type { ArticleRef, FindingContext, HostMessage, RenderedArticle, TraceTimeline } from '../../src/core/panel-protocol';
import { OVERVIEW_ARTICLES } from '../../src/core/panel-protocol';
import type { ProbeReport, Verdict } from '../../src/core/types';
import { datasetsOf, fixtureReport } from './fixtures';

export interface Scenario {
  title: string;
  onReady: HostMessage[];
  /** Answer to runProbe: the report the fake probe "produces". */
  probeReport?: ProbeReport;
  /** Finding shown with its rule's article when that article is opened. */
  finding?: FindingContext;
}

export interface HarnessData {
  articles: Record<string, RenderedArticle>;
  scenarios: Record<string, Scenario>;
}

export interface HarnessInputs {
  root: string;
  articles: RenderedArticle[];
  evaluate?: (r: ProbeReport) => Verdict[];
  /** A finding from running the analyzer on a sample; a fixed one is used when absent. */
  finding?: FindingContext;
}

// What classifyZfsFailure says for the recorded `zfs list` of a machine with ZFS installed and its module not loaded.
const NO_MODULE = "ZFS is installed, but its kernel module is not loaded. zfs says: The ZFS modules cannot be auto-loaded. Try running 'modprobe zfs' as root to manually load them.";

export function buildHarness({ root, articles, evaluate, finding: realFinding }: HarnessInputs): HarnessData {
  const refs: ArticleRef[] = articles.map(({ id, title }) => ({ id, title }));
  const byId = Object.fromEntries(articles.map((a) => [a.id, a]));
  const load = (name: Parameters<typeof fixtureReport>[0]): ProbeReport => {
    const r = fixtureReport(name, root);
    return evaluate ? { ...r, verdicts: evaluate(r) } : r;
  };
  const std = load('zfs-2.3.2-standard');
  const always = load('zfs-2.3.2-always');
  const old = load('zfs-2.3.0-always');
  const init = (trusted = true): HostMessage => ({ type: 'init', trusted, articles: refs, overviews: [...OVERVIEW_ARTICLES] });
  const datasets = (r: ProbeReport): HostMessage => ({ type: 'datasets', datasets: { status: 'ok', datasets: datasetsOf(r) } });
  const article = (id: string, finding: FindingContext | null = null): HostMessage[] =>
    (byId[id] ? [{ type: 'article', article: byId[id]!, finding }] : [{ type: 'articleError', id, message: 'not written yet' }]);
  const target = std.dataset!.name;
  // Recorded from a real `zfs-dio trace` of test/trace/programs/direct_helpers.c (see the fixture's README).
  const trace = JSON.parse(readFileSync(`${root}/test/fixtures/trace/timeline-direct-helpers.json`, 'utf8')) as TraceTimeline;

  const finding: FindingContext = realFinding ?? {
    ruleId: 'ZDIO002', file: `${root}/samples/c/blockstore.c`, line: 86,
    code: '    if (pwrite(fd, batch, BATCH_BYTES, DATA_START) < 0)', derived: { length: 100000, pageSize: 4096 },
  };

  const hostile: RenderedArticle = {
    id: 'how-direct-io-works', title: 'Hostile article (sanitiser check)',
    html: '<h1>Sanitiser check</h1><p>Image with handler: <img src="x" onerror="document.body.dataset.pwned=1"></p>'
      + '<script>document.body.dataset.pwned=2</script><p><a href="javascript:document.body.dataset.pwned=3">js link</a> '
      + '<a href="https://github.com/openzfs/zfs/issues/16958">real link</a></p>'
      + '<iframe src="https://example.invalid"></iframe><p style="color:red" onclick="x()">styled</p>'
      + '<form action="https://example.invalid"><input name="q"></form><svg><script>document.body.dataset.pwned=4</script></svg>',
  };

  const scenarios: Record<string, Scenario> = {
    standard: { title: '2.3.2, direct=standard', probeReport: std,
      onReady: [init(), datasets(std), { type: 'report', report: std }, { type: 'probe', probe: { status: 'done', target } }] },
    always: { title: '2.3.2, direct=always', probeReport: always,
      onReady: [init(), datasets(always), { type: 'report', report: always }, { type: 'probe', probe: { status: 'done', target } }] },
    old: { title: '2.3.0, direct=always (only copy_file_range was measured)', probeReport: old,
      onReady: [init(), datasets(old), { type: 'report', report: old }] },
    finding: { title: `Opened from a ${finding.ruleId} diagnostic`, finding, probeReport: std,
      onReady: [init(), datasets(std), { type: 'report', report: std }, ...article(finding.ruleId, finding)] },
    fresh: { title: 'Datasets listed, no probe yet', probeReport: std, onReady: [init(), datasets(std)] },
    probing: { title: 'Probe running', probeReport: std, onReady: [init(), datasets(std),
      { type: 'probe', probe: { status: 'running', target, step: 'dio.write.buf: O_DIRECT pwrite of 1 record from a buffer 1 byte past a page boundary', fraction: 0.62 } }] },
    nozfs: { title: 'No ZFS on this machine', onReady: [init(), { type: 'datasets', datasets: { status: 'no-zfs',
      message: NO_MODULE } }, ...article('how-direct-io-works')] },
    'nozfs-finding': { title: `Opened from a ${finding.ruleId} diagnostic on a machine without ZFS`, finding, onReady: [init(), { type: 'datasets', datasets: { status: 'no-zfs',
      message: NO_MODULE } }, ...article(finding.ruleId, finding)] },
    'nozfs-report': { title: 'A saved report opened on a machine without ZFS', probeReport: always, onReady: [init(), { type: 'datasets', datasets: { status: 'no-zfs',
      message: NO_MODULE } }, { type: 'report', report: always }] },
    untrusted: { title: 'Untrusted workspace', probeReport: std, onReady: [init(false), datasets(std), { type: 'report', report: std }] },
    failed: { title: 'Probe failed', onReady: [init(), datasets(std), { type: 'probe', probe: { status: 'failed', target, code: 'PERMISSION',
      message: 'Cannot create a scratch directory in /tmp/tank: permission denied. The probe needs write permission on the mountpoint.' } }] },
    trace: { title: 'A traced program beside the probe\'s matrix', probeReport: std,
      onReady: [init(), datasets(std), { type: 'report', report: std }, { type: 'trace', trace }] },
    hostile: { title: 'Hostile article HTML', onReady: [init(), datasets(std), { type: 'article', article: hostile, finding: null }] },
  };
  return { articles: byId, scenarios };
}

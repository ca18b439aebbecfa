import { test } from 'node:test';
import assert from 'node:assert/strict';
import { derivedLine, escapeMarkdown, hoverMarkdown, inlineCode, siteTooltipMarkdown, worstSeverity } from '../../../src/shared/present';
import { bytesText, DERIVED_VALUES, describeDerivedValue, describeExperimentParam } from '../../../src/core/value-labels';
import { SiteIndex, findingsAtSite, type FileNode, type KindNode, type SiteNode } from '../../../src/shared/sites';
import { explainArgsFor } from '../../../src/shared/diagnostics';
import type { Finding, Site } from '../../../src/core/types';

const at = (line: number, c0: number, c1: number) => ({ start: { line, column: c0 }, end: { line, column: c1 } });
const cfr: Site = { kind: 'copy_file_range', language: 'c', callee: 'copy_file_range', range: at(10, 2, 50) };
const open: Site = { kind: 'o_direct_open', language: 'c', callee: 'open', range: at(3, 7, 40) };
const pread: Site = { kind: 'o_direct_io', language: 'c', callee: 'pread', range: at(5, 2, 30) };
const mk = (site: Site, ruleId: Finding['ruleId'], severity: Finding['severity'], message: string, derived: Finding['derived'] = {}): Finding =>
  ({ ruleId, severity, message, range: site.range, site, derived, fixes: [] });
const f10 = mk(cfr, 'ZDIO010', 'warning', 'length 196608 is not a multiple of recordsize 131072', { length: 196608, recordsize: 131072 });
const f12 = mk(cfr, 'ZDIO012', 'information', 'result of copy_file_range is not checked');
const f01 = mk(pread, 'ZDIO001', 'warning', 'buffer from malloc(4096) is not known to be page-aligned', { origin: 'malloc(4096)' });

test('findings are attached to the site they belong to', () => {
  assert.deepEqual(findingsAtSite(cfr, [f10, f12, f01]), [f10, f12]);
  assert.deepEqual(findingsAtSite(open, [f10, f12, f01]), []);
  assert.equal(worstSeverity([f12, f10]), 'warning');
  assert.equal(worstSeverity([]), undefined);
});

test('the sites tree groups by file, then kind, then site in line order, with counts', () => {
  const index = new SiteIndex();
  index.set({ uri: 'file:///w/b.c', label: 'b.c', sites: [pread, cfr, open], findings: [f10, f12, f01] });
  index.set({ uri: 'file:///w/a.py', label: 'a.py', sites: [{ ...open, language: 'python', callee: 'os.open' }], findings: [] });
  index.set({ uri: 'file:///w/empty.c', label: 'empty.c', sites: [], findings: [] });
  assert.deepEqual(index.totals(), { files: 2, sites: 4, findings: 3 });

  const roots = index.roots() as FileNode[];
  assert.deepEqual(roots.map((r) => r.label), ['a.py', 'b.c']);
  assert.equal(roots[1]!.description, '3 sites · 3 findings');
  assert.equal(roots[0]!.description, '1 site · 0 findings');
  assert.equal(roots[1]!.severity, 'warning');

  const kinds = index.children(roots[1]!) as KindNode[];
  assert.deepEqual(kinds.map((k) => k.kind), ['copy_file_range', 'o_direct_open', 'o_direct_io']);
  assert.equal(kinds[0]!.description, '1 site · 2 findings');
  assert.equal(kinds[1]!.description, '1 site');
  assert.equal(kinds[1]!.severity, undefined);

  const sites = index.children(kinds[0]!) as SiteNode[];
  assert.equal(sites.length, 1);
  assert.equal(sites[0]!.label, 'copy_file_range');
  assert.equal(sites[0]!.description, 'line 11 · ZDIO010, ZDIO012');
  assert.deepEqual(index.children(sites[0]!), []);

  // Ids are unique across the tree, so VS Code keeps expansion state.
  const ids = [...roots, ...roots.flatMap((r) => index.children(r)), ...roots.flatMap((r) => index.children(r)).flatMap((k) => index.children(k))].map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length);

  index.delete('file:///w/b.c');
  assert.deepEqual(index.totals(), { files: 1, sites: 1, findings: 0 });
});

test('markdown escaping keeps source text literal', () => {
  assert.equal(escapeMarkdown('[x](command:evil) *a* <b> $(zap)'), '\\[x\\]\\(command:evil\\) \\*a\\* \\<b\\> \\$\\(zap\\)');
  assert.equal(inlineCode('a`b'), '``a`b``');
  assert.equal(inlineCode('`x'), '`` `x ``');
  assert.equal(inlineCode('plain'), '`plain`');
});

test('the hover names the call, the derived values and links only to the explain command', () => {
  const md = hoverMarkdown([{ site: cfr, findings: [f10, f12], explainArgs: [explainArgsFor(f10, '/w/b.c', 'x'), explainArgsFor(f12, '/w/b.c', 'x')] }]);
  assert.match(md, /\*\*ZFS Direct I\/O\*\* · `copy_file_range`/);
  assert.match(md, /\*\*ZDIO010\*\* copy\\_file\\_range range not aligned to recordsize · \[Explain ZDIO010\]/, 'rule and link first');
  assert.match(md, /length 196608 is not a multiple of recordsize 131072/, 'the message, when the editor does not show it');
  assert.match(md, /Length: 196608 bytes \\\(192 KiB\\\) · Recordsize: 131072 bytes \\\(128 KiB\\\)/);
  assert.match(md, /\[Explain ZDIO010\]\(command:zfsDio\.explainRule\?/);
  assert.match(md, /\[Explain ZDIO012\]\(command:zfsDio\.explainRule\?/);
  const links = [...md.matchAll(/\]\((command:[^?)\s]+)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(links)], ['command:zfsDio.explainRule']);

  const clean = hoverMarkdown([{ site: open, findings: [], explainArgs: [] }]);
  assert.match(clean, /No alignment problem found at this call/);
  assert.doesNotMatch(clean, /command:/);
});

test('a finding with no automatic fix says in the hover what to change by hand, escaped', () => {
  const manual: Finding = { ...f10, manualFix: 'Clone the aligned part, copy the *tail* [here](command:x).' };
  const md = hoverMarkdown([{ site: cfr, findings: [manual], explainArgs: [] }]);
  assert.ok(md.includes('$(tools) Clone the aligned part, copy the \\*tail\\* \\[here\\]\\(command:x\\)\\.'), md);
  assert.doesNotMatch(md, /\]\(command:x\)/, 'no link');
  assert.doesNotMatch(hoverMarkdown([{ site: cfr, findings: [f10], explainArgs: [] }]), /\$\(tools\)/);
});

test('hostile derived text cannot inject links into the hover', () => {
  const evil = mk(pread, 'ZDIO001', 'warning', 'buffer [click](command:workbench.action.terminal.new) is bad', { origin: '`](command:x)' });
  const md = hoverMarkdown([{ site: pread, findings: [evil], explainArgs: [] }]);
  assert.doesNotMatch(md, /\]\(command:workbench/);
  assert.match(md, /Buffer comes from: `` `\]\(command:x\) ``/);
});

test('the hover says each message once: not when the editor shows the diagnostic above it', () => {
  const args = [explainArgsFor(f10, '/w/b.c', 'x'), explainArgsFor(f12, '/w/b.c', 'x')];
  const md = hoverMarkdown([{ site: cfr, findings: [f10, f12], explainArgs: args, messageShown: [true, false] }]);
  assert.doesNotMatch(md, /length 196608 is not a multiple/, 'shown by the editor already');
  assert.match(md, /result of copy\\_file\\_range is not checked/, 'not shown by the editor: said here');
  // the answer and the link come before the call's description
  assert.ok(md.indexOf('[Explain ZDIO010]') < md.indexOf('**ZFS Direct I/O**'), md);
  assert.ok(md.indexOf('[Explain ZDIO012]') < md.indexOf('**ZFS Direct I/O**'), md);
  assert.doesNotMatch(md, /recordsizeSource|srcFdODirect|pageSize/, 'no internal names');
});

test('the hover gives the finding\'s detail after its one-line message, also when the editor shows the message', () => {
  const detailed: Finding = { ...f10, detail: 'On OpenZFS 2.3.0 with Direct I/O active that copy fails with EAGAIN (openzfs#16958).' };
  for (const shown of [true, false]) {
    const md = hoverMarkdown([{ site: cfr, findings: [detailed], explainArgs: [], messageShown: [shown] }]);
    assert.ok(md.includes(escapeMarkdown(detailed.detail!)), md);
    if (!shown) assert.ok(md.indexOf('is not a multiple') < md.indexOf('that copy fails'), md);
  }
});

test('derived values read as words, each from its one declaration', () => {
  const f = mk(cfr, 'ZDIO011', 'warning', 'm', { srcFdODirect: false, dstFdODirect: true, recordsizeSource: 'setting', pageSize: 4096 });
  const line = derivedLine(f.derived);
  assert.equal(line, 'Source opened with O\\_DIRECT: no · Destination opened with O\\_DIRECT: yes · '
    + 'Recordsize taken from: the zfsDio\\.recordsize setting · Page size: 4096 bytes \\(4 KiB\\)');
  assert.deepEqual(describeDerivedValue('recordsizeSource', 'dataset'), { label: 'Recordsize taken from', text: 'the dataset that holds the file' });
  assert.deepEqual(describeDerivedValue('length', 1000), { label: 'Length', text: '1000 bytes' });
  // a key from an older saved report still reads as words, and prototype names find nothing
  assert.deepEqual(describeDerivedValue('someNewValue', 3), { label: 'Some new value', text: '3' });
  assert.equal(describeDerivedValue('constructor', 'x').label, 'Constructor');
  assert.deepEqual(describeExperimentParam('bclonesavedDelta', 131072), { label: 'Bytes saved by cloning (bclonesaved growth)', text: '131072 bytes (128 KiB)' });
  assert.deepEqual(describeExperimentParam('shortCopy', false), { label: 'Copied less than asked (short count)', text: 'no' });
  assert.equal(bytesText(1), '1 byte');
  assert.equal(bytesText(1048576), '1048576 bytes (1 MiB)');
});

test('every derived value a rule can attach has a label', () => {
  for (const [key, entry] of Object.entries(DERIVED_VALUES)) {
    assert.ok(entry.label && entry.label !== key, key);
  }
});

test('the Call Sites tooltip keeps ordinary spaces, so it wraps between words', () => {
  const f = mk(cfr, 'ZDIO011', 'warning', 'copy_file_range where the source descriptor was opened with O_DIRECT: direct=standard');
  const md = siteTooltipMarkdown(cfr, [f]);
  assert.doesNotMatch(md, /&nbsp;|\u00a0/);
  assert.match(md, /^`copy_file_range` — line 11\n\n\*\*ZDIO011\*\* copy\\_file\\_range where the source descriptor was opened with O\\_DIRECT: direct=standard$/);
  assert.equal(siteTooltipMarkdown(open, []), '`open` — line 4\n\nNo alignment problem found at this call.');
  const evil = mk(cfr, 'ZDIO010', 'warning', '[x](command:evil) $(zap)');
  assert.doesNotMatch(siteTooltipMarkdown(cfr, [evil]), /\]\(command|[^\\]\$\(/);
});

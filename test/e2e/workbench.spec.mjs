// End-to-end: the packaged extension in a real VS Code (code-server), driven through its UI with Playwright.
// Run through test/e2e/run.sh, which starts the server on a scratch copy of samples/ and sets the E2E_* variables.
// The tests run in order on one browser page; each leaves the workbench usable for the next.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as wb from './workbench.mjs';

const C_FILE = 'c/blockstore.c';

/** Rule ids per sample file, from the table in samples/README.md (the unit test checks the analyzer against it). */
function expectedRules(file) {
  const readme = readFileSync(path.join(wb.env.root, 'samples/README.md'), 'utf8');
  const row = readme.split('\n').find((line) => line.startsWith(`| \`${file}\` |`));
  if (!row) throw new Error(`samples/README.md has no table row for ${file}`);
  return [...new Set(row.match(/ZDIO\d{3}/g) ?? [])].sort();
}

/** The first heading of a knowledge article, which the panel shows as its title. */
function articleTitle(id) {
  const file = path.join(wb.env.root, 'media/articles', `${id}.md`);
  if (!existsSync(file)) throw new Error(`missing knowledge article ${file}`);
  const heading = readFileSync(file, 'utf8').split('\n').find((l) => /^#\s/.test(l));
  if (!heading) throw new Error(`${file} has no '# ' heading`);
  return heading.replace(/^#\s+/, '').trim();
}

const ruleIdsIn = (texts) => [...new Set(texts.flatMap((t) => t.match(/ZDIO\d{3}/g) ?? []))].sort();

let browser;
let page;

before(async () => {
  ({ browser, page } = await wb.launch());
  await wb.waitForWorkbench(page);
  wb.lap('workbench loaded');
});

after(async () => {
  if (page) await wb.screenshot(page, 'final-state').catch(() => {});
  await browser?.close();
});

test('diagnostics with the expected rule ids appear in the Problems panel', async () => {
  const expected = expectedRules(C_FILE);
  await wb.openFile(page, C_FILE);
  await page.locator('.squiggly-warning, .squiggly-info').first().waitFor({ timeout: 45_000 });
  const rows = await wb.problemsRows(page, { min: expected.length });
  wb.lap(`Problems: ${JSON.stringify(rows)}`);
  await wb.screenshot(page, 'diagnostics');
  const fileRows = await wb.problemRowsForFile(page, path.basename(C_FILE));
  assert.deepEqual(ruleIdsIn(fileRows), expected, `rule ids in the Problems panel for ${C_FILE}`);
  // Every message names the value it derived (precision rule of the analyzer).
  for (const row of fileRows.filter((r) => /ZDIO00[23]/.test(r))) assert.match(row, /\d/, row);
});

test('hovering a diagnostic shows the rule and its explanation link', async () => {
  await page.locator('.squiggly-warning').first().hover();
  const hover = page.locator('.monaco-hover:visible').first();
  await hover.waitFor({ timeout: 10_000 });
  await page.waitForTimeout(500);
  const text = (await hover.innerText()).replace(/\s+/g, ' ');
  wb.lap(`hover: ${text.slice(0, 200)}`);
  await wb.screenshot(page, 'hover');
  assert.match(text, /ZDIO\d{3}/);
  await wb.closeWidgets(page);
});

test('the rule-code link of a diagnostic opens the panel on that rule\'s article', async () => {
  await wb.showProblems(page);
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'ZDIO001' }).first();
  await row.waitFor({ timeout: 10_000 });
  // The diagnostic code is rendered as a link when the diagnostic has a code target.
  const link = row.locator('.code-link, a.monaco-link, .monaco-link').first();
  await link.waitFor({ timeout: 5_000 });
  await link.click();
  const frame = wb.webviewFrame(page);
  const title = articleTitle('ZDIO001');
  await frame.getByText(title, { exact: false }).first().waitFor({ timeout: 30_000 });
  const body = (await frame.locator('body').innerText()).replace(/\s+/g, ' ');
  wb.lap(`panel: ${body.slice(0, 300)}`);
  await wb.screenshot(page, 'panel-article');
  assert.ok(body.includes(title), `the panel shows the article "${title}"`);
  // The article shows the user's own line of code (the malloc'd buffer passed to pread).
  assert.match(body, /pread\(fd, block, BLOCK_SIZE/);
});

test('a quick fix rounds a constant up to the page size', async () => {
  await wb.openFile(page, C_FILE);
  await wb.applyQuickFixOnProblem(page, { rule: 'ZDIO002', fix: /round|4096/i });
  await page.keyboard.press('Control+S');
  await wb.waitForFile(C_FILE, /#define SUPERBLOCK_BYTES\s+4096\b/);
  await wb.screenshot(page, 'quick-fix-round-up');
  // INDEX_OFFSET is defined as SUPERBLOCK_BYTES, so the same fix also clears the offset warning.
  const rows = await wb.problemRowsForFile(page, path.basename(C_FILE), { settle: (ids) => !ids.includes('ZDIO002') });
  assert.ok(!ruleIdsIn(rows).includes('ZDIO002'), `ZDIO002 is gone after the fix: ${JSON.stringify(rows)}`);
});

test('a quick fix inserts a suppression comment', async () => {
  await wb.applyQuickFixOnProblem(page, { rule: 'ZDIO001', fix: /zfs-dio-ignore|suppress|ignore/i });
  await page.keyboard.press('Control+S');
  const text = await wb.waitForFile(C_FILE, /zfs-dio-ignore ZDIO001/);
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /zfs-dio-ignore ZDIO001/.test(l));
  assert.match(lines[at + 1], /pread\(fd, block, BLOCK_SIZE/, 'the comment sits on the line above the call');
  await wb.screenshot(page, 'quick-fix-suppress');
  const rows = await wb.problemRowsForFile(page, path.basename(C_FILE), { settle: (ids) => !ids.includes('ZDIO001') });
  assert.ok(!ruleIdsIn(rows).includes('ZDIO001'), `ZDIO001 is gone after the suppression: ${JSON.stringify(rows)}`);
});

test('the Scan Workspace command reports findings in files that were never opened', async () => {
  await wb.runCommand(page, wb.commandLabel('zfsDio.scanWorkspace'));
  const rows = await wb.problemsRowsUntil(page, (texts) => texts.some((t) => /snapcopy\.c/.test(t)) && texts.some((t) => /wal\.py/.test(t)), 60_000);
  await wb.screenshot(page, 'scan-workspace');
  for (const file of ['snapcopy.c', 'segment_log.cpp', 'main.rs', 'dedupe.go', 'wal.py']) {
    assert.ok(rows.some((r) => r.includes(file)), `Problems lists ${file} after the scan: ${JSON.stringify(rows)}`);
  }
  const snapRows = await wb.problemRowsForFile(page, 'snapcopy.c');
  assert.deepEqual(ruleIdsIn(snapRows), expectedRules('c/snapcopy.c'));
});

test('the call sites view lists the spotted calls', async () => {
  const view = wb.contributedView('zfsDio.sites');
  await wb.runCommand(page, `View: Show ${view.name}`).catch(async () => {
    await wb.runCommand(page, `${view.name}: Focus on ${view.name} View`);
  });
  const tree = page.locator(`.pane:has(.pane-header[aria-label*="${view.name}"]) .monaco-list-row`);
  await tree.first().waitFor({ timeout: 20_000 });
  await wb.expandAll(page, view.name);
  const texts = (await tree.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  wb.lap(`sites: ${JSON.stringify(texts.slice(0, 20))}`);
  await wb.screenshot(page, 'sites-view');
  const all = texts.join('\n');
  for (const callee of ['copy_file_range', 'pread', 'FICLONERANGE|ioctl', 'CopyFileRange', 'os.copy_file_range|copy_file_range']) {
    assert.match(all, new RegExp(callee), `the sites view mentions ${callee}`);
  }
});

test('the Command Palette probe shows the "no ZFS found" state on a machine without ZFS', async () => {
  await wb.runCommand(page, wb.commandLabel('zfsDio.probeDataset'));
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /No ZFS found/i }).first();
  await toast.waitFor({ timeout: 30_000 });
  const text = (await toast.innerText()).replace(/\s+/g, ' ');
  wb.lap(`probe: ${text}`);
  await wb.screenshot(page, 'probe-no-zfs');
  assert.match(text, /No ZFS found on this machine/);
});

test('the walkthrough opens', async () => {
  const walkthrough = (wb.manifest.contributes?.walkthroughs ?? [])[0];
  assert.ok(walkthrough, 'package.json contributes a walkthrough');
  await wb.runCommand(page, wb.commandLabel('zfsDio.openWalkthrough'));
  const container = page.locator('.gettingStartedContainer');
  await container.getByText(walkthrough.title, { exact: false }).first().waitFor({ timeout: 20_000 });
  await page.waitForTimeout(800);
  await wb.screenshot(page, 'walkthrough');
  const text = await container.innerText();
  assert.ok(text.includes(walkthrough.title), 'the walkthrough title is shown');
  for (const step of walkthrough.steps) assert.ok(text.includes(step.title), `walkthrough step "${step.title}" is listed`);
});

test('the panel renders a probe report recorded on a real OpenZFS VM', async () => {
  const fixtures = path.join(wb.env.root, 'test/fixtures/probe');
  const reports = existsSync(fixtures) ? readdirSync(fixtures).filter((f) => f.endsWith('.json')) : [];
  assert.ok(reports.length > 0, `no recorded probe report in ${fixtures}`);
  await wb.openRecordedReport(page, path.join(fixtures, reports[0]));
  const frame = wb.webviewFrame(page);
  await frame.getByText(/cloned|direct|ARC/i).first().waitFor({ timeout: 30_000 });
  await wb.screenshot(page, 'panel-probe-report');
});

// The extension in a real VS Code on a LIVE OpenZFS 2.3.2: code-server and its extension host run inside
// the test VM (test/zfs/guest/editor.sh), this spec drives the workbench from the host's Chromium through
// qemu's port forward. Run by test/zfs/run.sh, which sets the E2E_* variables.
//
// Everything on the server side runs under TCG (software emulation), so the waits here are long; they
// are limits, not measurements.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as wb from '../e2e/workbench.mjs';

const WORKSPACE_DATASET = 'work/project';    // direct=always, recordsize=1M (editor.sh)
const OTHER_DATASET = 'work/other';
const SPACE_DATASET = 'work/with space';      // mounted at /tmp/ze/it's here
const SLOW = 240_000;

let browser;
let page;

before(async () => {
  ({ browser, page } = await wb.launch());
  await page.goto(wb.env.url);
  await page.locator('.monaco-workbench').waitFor({ timeout: SLOW });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: SLOW });
  wb.lap('workbench loaded from the VM');
});

after(async () => {
  if (page) await wb.screenshot(page, 'live-final-state').catch(() => {});
  await browser?.close();
});

const toast = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();

/** The rows of the open quick pick, as text, once it shows at least one. */
// The panel has one matrix table per experiment family; each is found by its caption, so a new family
// (a table added between two others) does not shift what a test reads.
function matrixTable(frame, captionStart) {
  return frame.locator('table.matrix-table', { has: frame.locator('caption', { hasText: captionStart }) }).first();
}

async function matrixText(frame, captionStart) {
  return (await matrixTable(frame, captionStart).innerText()).replace(/\s+/g, ' ');
}

async function quickPickRows(timeout) {
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout });
  return rows.evaluateAll((els) => els
    .map((el) => ({ top: parseFloat(el.style.top) || 0, text: (el.getAttribute('aria-label') ?? el.innerText).replace(/\s+/g, ' ').trim() }))
    .sort((a, b) => a.top - b.top).map((r) => r.text));
}

/** Opens "Probe Dataset…" and returns the offered datasets (rows) once the placeholder is the dataset pick. */
async function openProbePick() {
  await wb.runCommand(page, wb.commandLabel('zfsDio.probeDataset'));
  // Listing runs `zfs list` / `zfs get` inside the VM first.
  await page.waitForFunction(() => /Pick the ZFS dataset/.test(document.querySelector('.quick-input-widget input.input')?.getAttribute('placeholder') ?? ''),
    null, { timeout: SLOW });
  return quickPickRows(30_000);
}

/** Picks the quick-pick row whose label is exactly `dataset`. */
async function pickDataset(dataset) {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: wb.exactText(dataset) }) }).first();
  await row.click();
}

test('a file on the ZFS dataset is analysed with that dataset\'s real recordsize (1M, not the 128K setting)', async () => {
  await wb.openFile(page, 'clone.c');
  const rows = await wb.problemsRowsUntil(page, (texts) => texts.some((t) => /ZDIO010/.test(t)), SLOW);
  await wb.screenshot(page, 'live-recordsize-diagnostic');
  const row = rows.find((t) => /ZDIO010/.test(t));
  assert.ok(row, `a ZDIO010 diagnostic appears for clone.c; the Problems panel shows ${JSON.stringify(rows)}`);
  assert.match(row, /the dataset's recordsize 1048576/);
  assert.match(row, /131072 \(CHUNK\)/);
});

test('Probe Dataset… offers the mounted datasets, the workspace\'s own first', async () => {
  await wb.tidy(page);
  const rows = await openProbePick();
  wb.lap(`quick pick: ${JSON.stringify(rows)}`);
  await wb.screenshot(page, 'live-probe-pick');
  assert.ok(rows[0]?.startsWith(WORKSPACE_DATASET), `the workspace's dataset is first: ${JSON.stringify(rows)}`);
  assert.match(rows[0], /this workspace/);
  assert.match(rows[0], /recordsize 1 ?MiB|recordsize 1M/i);
  assert.ok(rows.some((r) => r.startsWith(OTHER_DATASET)), `${OTHER_DATASET} is offered too`);
  assert.ok(rows.some((r) => r.startsWith(`${SPACE_DATASET}, /tmp/ze/it's here`)), `${SPACE_DATASET} is offered with its mountpoint`);
  await page.keyboard.press('Escape');
});

test('a running probe shows a cancellable progress notification; Cancel stops it and says the scratch files were removed', async () => {
  await wb.tidy(page);
  await openProbePick();
  await pickDataset(WORKSPACE_DATASET);
  const progress = toast(`Probing ${WORKSPACE_DATASET}`);
  await progress.waitFor({ timeout: SLOW });
  // Cancel once the runner is at work (its steps name the scratch directory or an experiment), so this
  // cancels a real run, not the discovery before it.
  await page.waitForFunction(() => [...document.querySelectorAll('.notifications-toasts .notification-toast')]
    .some((el) => /Probing/.test(el.innerText) && /scratch|cfr\.|dio\./.test(el.innerText)), null, { timeout: SLOW });
  const atCancel = (await progress.innerText()).replace(/\s+/g, ' ');
  wb.lap(`progress before cancel: ${atCancel}`);
  await wb.screenshot(page, 'live-probe-progress');
  const cancel = progress.getByRole('button', { name: 'Cancel' });
  await cancel.click();
  const cancelled = toast(/probe cancelled/);
  await cancelled.waitFor({ timeout: SLOW });
  await page.waitForTimeout(700);
  await wb.screenshot(page, 'live-probe-cancelled');
  assert.match((await cancelled.innerText()).replace(/\s+/g, ' '), /Scratch files were removed/);
});

test('a completed probe opens the panel on the live report: version, verdicts and the measured matrix', async () => {
  await wb.tidy(page);
  await openProbePick();
  await pickDataset(WORKSPACE_DATASET);
  await toast(`Probing ${WORKSPACE_DATASET}`).waitFor({ timeout: SLOW });
  const frame = wb.webviewFrame(page);
  // The panel opens when the report is in; under TCG the matrix takes a minute or more.
  await frame.getByText(WORKSPACE_DATASET).first().waitFor({ timeout: 2 * SLOW });
  await frame.locator('article.verdict').first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(800);
  const body = (await frame.locator('body').innerText()).replace(/\s+/g, ' ');
  wb.lap(`live report panel: ${body.slice(0, 600)}`);
  await wb.hidePanel(page);
  await wb.setSideBar(page, false);
  await page.waitForTimeout(800);
  await wb.screenshot(page, 'live-panel-report');
  const matrix = frame.locator('table.matrix-table').first();
  await matrix.scrollIntoViewIfNeeded();
  await page.waitForTimeout(400);
  await wb.screenshot(page, 'live-panel-matrix');
  const copyTable = await matrixText(frame, 'copy_file_range');
  const dioTable = await matrixText(frame, 'O_DIRECT read and write');
  wb.lap(`live matrix: ${copyTable} || ${dioTable}`);
  // 2.3.2 is not affected by #16958: its verdict sits in the collapsed "Not affected" group; open it as a user would.
  const notAffected = frame.locator('vscode-collapsible[heading^="Not affected"]');
  await notAffected.click({ position: { x: 30, y: 10 } });
  const verdict16958 = frame.locator('article.verdict', { hasText: 'openzfs#16958' }).first();
  await verdict16958.waitFor({ state: 'visible', timeout: 10_000 });
  await verdict16958.scrollIntoViewIfNeeded();
  await page.waitForTimeout(400);
  await wb.screenshot(page, 'live-panel-verdict-16958');
  const verdictText = (await verdict16958.innerText()).replace(/\s+/g, ' ');
  wb.lap(`openzfs#16958 verdict: ${verdictText}`);
  await wb.setSideBar(page, true);
  assert.match(verdictText, /Not affected/);
  assert.match(verdictText, /2\.3\.2 ≥ 2\.3\.1/, 'the reason compares the live module version with the fix');
  assert.ok(body.includes(WORKSPACE_DATASET), 'the panel names the probed dataset');
  assert.ok(body.includes('2.3.2'), 'the panel shows the live OpenZFS version');
  assert.match(body, /always/, 'the panel shows direct=always');
  // The matrix as measured live on this dataset (direct=always, recordsize 1M, 2.3.2).
  assert.match(copyTable, /Plain descriptors Cloned 2M/, 'a recordsize-aligned copy is block-cloned');
  // direct=always on 2.3.2: aligned O_DIRECT I/O bypasses the ARC, each misaligned variant goes through it.
  assert.match(dioTable ?? '', /pread Direct \S+ ARC \S+ ARC \S+ B ARC/);
  assert.match(dioTable ?? '', /pwrite Direct \S+ ARC \S+ ARC \S+ B ARC/);
});

test('the probe\'s steps and results are in the "ZFS Direct I/O" output channel', async () => {
  await wb.runCommand(page, 'Output: Show Output Channels...');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('ZFS Direct I/O');
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: wb.exactText('ZFS Direct I/O') }) }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  const view = page.locator('.part.panel .monaco-editor .view-lines').first();
  await view.waitFor({ timeout: 15_000 });
  // The channel holds more than fits; the Output view's filter keeps the lines of this probe's start.
  const filter = page.locator('.part.panel .viewpane-filter input').first();
  await filter.fill(`probe: ${WORKSPACE_DATASET}`);
  await page.waitForTimeout(1000);
  await wb.screenshot(page, 'live-output-channel');
  const text = (await view.innerText()).replace(/\u00a0/g, ' ');
  wb.lap(`output channel (visible part): ${text.slice(-800)}`);
  await filter.fill('');
  assert.ok(text.includes(`probe: ${WORKSPACE_DATASET} (/tmp/ze/project), scratch directory under /tmp/ze/project`),
    'the log names the probed dataset and where its scratch directory went');
});

test('the panel\'s own Run probe on the other dataset (direct=standard) shows EINVAL for each misaligned O_DIRECT call', async () => {
  await wb.hidePanel(page);
  const tab = page.locator('.tabs-container .tab', { hasText: 'ZFS Direct I/O' }).first();
  await tab.click();
  const frame = wb.webviewFrame(page);
  // Pick the dataset the way a user does: open the drop-down and click the option.
  const picker = frame.locator('vscode-single-select[data-focus-key="dataset-select"]');
  await picker.click();
  await picker.getByRole('option', { name: new RegExp(`^${wb.escapeRegExp(OTHER_DATASET)}\\b`) }).click();
  await frame.locator('vscode-button[data-focus-key="run-probe"]').click();
  await frame.getByText(`Dataset ${OTHER_DATASET}`).first().waitFor({ timeout: 2 * SLOW });
  await matrixTable(frame, 'O_DIRECT read and write').waitFor({ timeout: 30_000 });
  const dioTable = await matrixText(frame, 'O_DIRECT read and write');
  wb.lap(`live matrix of ${OTHER_DATASET}: ${dioTable}`);
  await matrixTable(frame, 'O_DIRECT read and write').scrollIntoViewIfNeeded();
  await page.waitForTimeout(400);
  await wb.screenshot(page, 'live-panel-run-standard');
  // direct=standard on 2.3.2: aligned O_DIRECT bypasses the ARC; each misaligned parameter is refused.
  assert.match(dioTable ?? '', /pread Direct \S+ EINVAL call failed EINVAL call failed EINVAL call failed/);
  assert.match(dioTable ?? '', /pwrite Direct \S+ EINVAL call failed EINVAL call failed EINVAL call failed/);
});

test('a dataset named with a space, mounted at a path with a quote, is probed from the pick like any other', async () => {
  await wb.tidy(page);
  await openProbePick();
  await pickDataset(SPACE_DATASET);
  await toast(`Probing ${SPACE_DATASET}`).waitFor({ timeout: SLOW });
  const frame = wb.webviewFrame(page);
  await frame.getByText(`Dataset ${SPACE_DATASET}`).first().waitFor({ timeout: 2 * SLOW });
  const body = (await frame.locator('body').innerText()).replace(/\s+/g, ' ');
  await wb.screenshot(page, 'live-panel-space-name');
  assert.ok(body.includes("/tmp/ze/it's here"), 'the panel shows the mountpoint with its quote');
  const [copyTable] = (await frame.locator('table.matrix-table').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  assert.match(copyTable ?? '', /Plain descriptors Cloned/, 'the experiments ran in a scratch directory under that mountpoint');
});

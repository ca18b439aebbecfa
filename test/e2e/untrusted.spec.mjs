// End-to-end in Restricted Mode: the same .vsix in a workspace that is NOT trusted (run.sh starts a second
// code-server with Workspace Trust on). Scanning must still work; probes must be disabled, and say why.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as wb from './workbench.mjs';

const C_FILE = 'c/blockstore.c';
let browser;
let page;

before(async () => {
  ({ browser, page } = await wb.launch());
  await wb.waitForWorkbench(page);
});

after(async () => {
  await browser?.close();
});

test('the workspace opens in Restricted Mode', async () => {
  const indicator = page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first();
  await indicator.waitFor({ timeout: 20_000 });
  assert.ok(await indicator.isVisible());
});

test('scanning still works in an untrusted workspace', async () => {
  const readme = readFileSync(path.join(wb.env.root, 'samples/README.md'), 'utf8');
  const row = readme.split('\n').find((line) => line.startsWith(`| \`${C_FILE}\` |`));
  const expected = [...new Set(row?.match(/ZDIO\d{3}/g) ?? [])].sort();
  assert.ok(expected.length > 0, `samples/README.md lists rules for ${C_FILE}`);
  await wb.openFile(page, C_FILE);
  await wb.problemsRows(page, { min: expected.length, timeout: 60_000 });
  const rows = await wb.problemRowsForFile(page, path.basename(C_FILE));
  const ids = [...new Set(rows.flatMap((t) => t.match(/ZDIO\d{3}/g) ?? []))].sort();
  await wb.screenshot(page, 'restricted-diagnostics');
  assert.deepEqual(ids, expected);
});

test('the probe refuses to run and says why', async () => {
  await wb.runCommand(page, wb.commandLabel('zfsDio.probeDataset'));
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /untrusted/i }).first();
  await toast.waitFor({ timeout: 20_000 });
  await page.waitForTimeout(700);
  const text = (await toast.innerText()).replace(/\s+/g, ' ');
  wb.lap(`untrusted probe: ${text}`);
  await wb.screenshot(page, 'restricted-probe');
  assert.match(text, /probes are disabled in an untrusted workspace/i);
  assert.match(text, /Scanning still works/i);
});

test('the panel disables the probe and explains that the workspace is not trusted', async () => {
  await wb.tidy(page);
  await wb.runCommand(page, wb.commandLabel('zfsDio.openPanel'));
  const frame = wb.webviewFrame(page);
  await frame.locator('body').waitFor({ timeout: 30_000 });
  const note = frame.getByText(/workspace is not trusted/i).first();
  try {
    await note.waitFor({ timeout: 20_000 });
  } finally {
    await wb.screenshot(page, 'restricted-panel');
  }
  const body = (await frame.locator('body').innerText()).replace(/\s+/g, ' ');
  assert.match(body, /workspace is not trusted/i);
});

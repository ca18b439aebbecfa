// End-to-end: "ZFS Direct I/O: Trace a Program…" in a real VS Code. A small Python program written into the
// scratch workspace opens a file with O_DIRECT on this machine's disk and writes a misaligned record; the command
// runs it under strace and the observed findings must appear in the Problems panel on the program's own line.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as wb from './workbench.mjs';

const PROGRAM = 'trace_demo.py';
const SOURCE = `# Written by the e2e suite: one misaligned O_DIRECT write, which the disk refuses.
import os

fd = os.open("trace demo.dat", os.O_CREAT | os.O_RDWR | os.O_TRUNC | os.O_DIRECT, 0o644)
try:
    os.pwrite(fd, b"x" * 100, 0)
except OSError as error:
    print("refused:", error)
os.close(fd)
`;
const WRITE_LINE = SOURCE.split('\n').findIndex((l) => l.includes('os.pwrite')) + 1;

let browser;
let page;

before(async () => {
  writeFileSync(path.join(wb.env.workspace, PROGRAM), SOURCE);
  ({ browser, page } = await wb.launch());
  await wb.waitForWorkbench(page);
  // The extension's commands reach the Command Palette once its host is up: open a sample and wait for
  // its diagnostics first, as the workbench spec does.
  await wb.openFile(page, 'c/blockstore.c');
  await wb.problemsRows(page, { min: 1, timeout: 60_000 });
  wb.lap('workbench loaded');
});

after(async () => {
  if (page) await wb.screenshot(page, 'final-state').catch(() => {});
  await browser?.close();
});

test('Trace a Program… puts what the kernel refused on the program\'s own line', async () => {
  await wb.runCommand(page, wb.commandLabel('zfsDio.traceProgram'));
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`python3 ${PROGRAM}`);
  await wb.screenshot(page, 'command-line');
  await page.keyboard.press('Enter');
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /finding\(s\) at run time|nothing misaligned/ }).first();
  await toast.waitFor({ timeout: 60_000 });
  const text = (await toast.innerText()).replace(/\s+/g, ' ');
  wb.lap(`trace: ${text}`);
  assert.match(text, /2 finding\(s\) at run time; the command exited with 0/);
  const rows = await wb.problemRowsForFile(page, PROGRAM, { timeout: 20_000 });
  wb.lap(`trace problems: ${JSON.stringify(rows)}`);
  await wb.screenshot(page, 'problems');
  const joined = rows.join('\n');
  assert.match(joined, /ZDIO001/);
  assert.match(joined, /ZDIO002/);
  assert.match(joined, /at run time: O_DIRECT pwrite64 of 100 bytes at offset 0 on \w+ → EINVAL/);
  assert.match(joined, new RegExp(`\\[Ln ${WRITE_LINE}, Col 1\\]`), `the findings are on line ${WRITE_LINE}`);
  assert.match(joined, /zfs-dio trace/);

  // The same run in the root-cause panel: a timeline row per call, the refused write with its rules and line.
  await wb.runCommand(page, wb.commandLabel('zfsDio.openPanel'));
  const panel = wb.webviewFrame(page);
  const refused = panel.locator('table.trace-table tbody tr.has-finding');
  await refused.first().waitFor({ timeout: 30_000 });
  const timeline = (await panel.locator('section.trace').innerText()).replace(/\s+/g, ' ');
  wb.lap(`trace timeline: ${timeline.slice(0, 300)}`);
  assert.match(timeline, new RegExp(`python3 ${PROGRAM.replace('.', '\\.')} exited with 0`));
  const row = (await refused.first().innerText()).replace(/\s+/g, ' ');
  assert.match(row, /pwrite64/);
  assert.match(row, /100 bytes, at offset 0/);
  assert.match(row, /EINVAL/);
  assert.match(row, /ZDIO00[12]/);
  assert.match(row, new RegExp(`${PROGRAM.replace('.', '\\.')}:${WRITE_LINE}`));
  await panel.locator('section.trace').scrollIntoViewIfNeeded();
  await wb.screenshot(page, 'panel-timeline');
});

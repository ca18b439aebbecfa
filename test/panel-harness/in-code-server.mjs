// Drives the real panel inside code-server: opens it from the Command Palette, checks the webview for
// CSP violations and script errors, follows an article link, reloads the window (serializer restore),
// and screenshots it in the light, dark and high-contrast themes.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as wb from '../e2e/workbench.mjs';
import { EXPERIMENT_IDS } from './catalog.mjs';

const failures = [];
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };
const { browser, page, pageErrors } = await wb.launch();
const problems = [];
page.on('console', (m) => {
  const url = m.location().url ?? '';
  // Only the panel's own document: the workbench logs unrelated noise (extension gallery, etc.).
  if (/webview|vscode-resource|vscode-cdn/.test(url) && (m.type() === 'error' || /Content Security Policy|Refused to/.test(m.text()))) problems.push(m.text());
});

async function setTheme(theme) {
  const file = process.env.CS_SETTINGS;
  const settings = JSON.parse(readFileSync(file, 'utf8'));
  settings['workbench.colorTheme'] = theme;
  writeFileSync(file, JSON.stringify(settings, null, 2));
}

try {
  await setTheme('Default Dark Modern');
  await wb.waitForWorkbench(page);
  // Contributed commands reach the palette once the extension host has started; retry briefly.
  for (let attempt = 1; ; attempt += 1) {
    try { await wb.runCommand(page, wb.commandLabel('zfsDio.openPanel')); break; } catch (e) {
      if (attempt >= 6) throw e;
      await page.waitForTimeout(2000);
    }
  }
  const frame = wb.webviewFrame(page);
  await frame.locator('.layout').waitFor({ timeout: 30_000 });
  await frame.locator('.datasets').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1500);
  const datasetsText = (await frame.locator('.datasets').innerText()).replace(/\s+/g, ' ');
  console.log(`datasets card: ${datasetsText.slice(0, 200)}`);
  check(/No ZFS found on this machine|Datasets/.test(datasetsText), 'the datasets card shows a clear state');
  const registered = await frame.locator('body').evaluate(() => ['vscode-button', 'vscode-collapsible', 'vscode-single-select'].every((t) => !!customElements.get(t)));
  check(registered, 'vscode-elements components are registered inside the real webview');
  const buttonBg = await frame.locator('vscode-button').first().evaluate((b) => getComputedStyle(b.shadowRoot.querySelector('*:not(style)') ?? b).backgroundColor).catch(() => 'none');
  console.log(`button background inside the webview: ${buttonBg}`);
  await wb.screenshot(page, 'vscode-panel-dark');

  // An article link renders the article (host loads + renders, webview sanitises).
  const link = frame.locator('a[data-article]').first();
  const linkText = (await link.innerText()).trim();
  await link.click();
  await frame.locator('.article-body h1').first().waitFor({ timeout: 15_000 });
  const heading = (await frame.locator('.article-body h1').first().innerText()).trim();
  check(heading.length > 0, `clicking "${linkText}" shows the article "${heading}"`);
  await wb.screenshot(page, 'vscode-panel-article-dark');

  // Reload the window: the serializer brings the panel back on the same article.
  for (const theme of ['Default Light Modern', 'Default High Contrast']) {
    await setTheme(theme);
    // VS Code stores the open editors (and the webview state) shortly after a change; a reload right away can beat it.
    await page.waitForTimeout(2500);
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const again = wb.webviewFrame(page);
    await again.locator('.article-body h1').first().waitFor({ timeout: 30_000 });
    const restored = (await again.locator('.article-body h1').first().innerText()).trim();
    check(restored === heading, `after a reload (${theme}) the panel is restored on "${restored}"`);
    await page.waitForTimeout(1000);
    await wb.screenshot(page, `vscode-panel-${theme.includes('Light') ? 'light' : 'hc'}`);
  }
  // A recorded report (measured on the 2.3.2 VM) through "Open Probe Report…": matrix, verdicts, a cell explained.
  await setTheme('Default Dark Modern');
  await page.reload();
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await wb.webviewFrame(page).locator('.layout').waitFor({ timeout: 30_000 });
  const report = path.join(process.env.E2E_WORKSPACE, 'zfs-2.3.2-standard.json');
  writeFileSync(report, readFileSync(path.join(process.env.E2E_ROOT, 'test/fixtures/knowledge/zfs-2.3.2-standard.json')));
  await wb.runCommand(page, wb.commandLabel('zfsDio.openReport'));
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  // code-server's simple file dialog opens in the workspace folder: pick the file from its list.
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(report) }).first().click();
  await page.waitForTimeout(300);
  if (await input.isVisible()) await page.keyboard.press('Enter');
  const withReport = wb.webviewFrame(page);
  await withReport.locator('.cell').first().waitFor({ timeout: 30_000 });
  check(await withReport.locator('.cell').count() === EXPERIMENT_IDS.length, `the recorded report fills the ${EXPERIMENT_IDS.length} matrix cells in the real panel`);
  await withReport.locator('[data-experiment="cfr.odirect.misaligned"]').click();
  await withReport.locator('#experiment-h').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(500);
  await wb.screenshot(page, 'vscode-panel-report-dark');

  // A diagnostic's code link: the rule article with the user's own line.
  await wb.openFile(page, 'c/blockstore.c');
  await wb.showProblems(page);
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'ZDIO002' }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.locator('.code-link, a.monaco-link, .monaco-link').first().click();
  const fromDiag = wb.webviewFrame(page);
  await fromDiag.locator('.your-code').waitFor({ timeout: 30_000 });
  const code = (await fromDiag.locator('.your-code').innerText()).replace(/\s+/g, ' ');
  check(/ZDIO002/.test(code) && /blockstore\.c:\d+/.test(code), `the diagnostic link shows "Your code": ${code.slice(0, 120)}`);
  await page.keyboard.press('Control+J').catch(() => {});
  await page.waitForTimeout(800);
  await wb.screenshot(page, 'vscode-panel-finding-dark');
  // "Show in editor" reveals the line through the host (the webview names no file).
  await fromDiag.locator('[data-focus-key="reveal-finding"]').click();
  await page.waitForTimeout(800);
  const active = await page.locator('.tabs-container .tab.active').first().innerText();
  check(/blockstore\.c/.test(active), `"Show in editor" opens the finding's file (${active.trim()})`);

  check(problems.length === 0, `no CSP violations or errors in the webview${problems.length ? `: ${problems.join(' | ')}` : ''}`);
  check(pageErrors.length === 0, `no page errors${pageErrors.length ? `: ${pageErrors.join(' | ')}` : ''}`);
} catch (e) {
  failures.push(String(e));
  console.error(e);
  await wb.screenshot(page, 'vscode-panel-failure').catch(() => {});
} finally {
  await browser.close();
}
console.log(failures.length ? `${failures.length} failure(s)` : 'panel in code-server: all checks passed');
process.exit(failures.length ? 1 : 0);

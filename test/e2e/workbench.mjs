// Playwright helpers for driving a VS Code workbench served by code-server.
// Selectors were checked against VS Code 1.100.3 (code-server 4.100.3).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const env = {
  url: required('E2E_URL'),
  workspace: required('E2E_WORKSPACE'),
  out: required('E2E_OUT'),
  root: required('E2E_ROOT'),
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
};

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this spec through test/e2e/run.sh`);
  return value;
}

const started = Date.now();
export function lap(message) {
  console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
}

export async function launch() {
  const browser = await chromium.launch({
    executablePath: env.chromium,
    headless: true,
    // No sandbox: CI runs as root. The rest keeps Chromium from reaching out to Google services.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-default-apps'],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return { browser, page, pageErrors };
}

/** The extension's manifest, so UI labels come from the source of truth instead of copies in the test. */
export const manifest = JSON.parse(readFileSync(path.join(env.root, 'package.json'), 'utf8'));

/** The Command Palette label of a contributed command: "Category: Title". Fails if it is not contributed. */
export function commandLabel(commandId) {
  const command = (manifest.contributes?.commands ?? []).find((c) => c.command === commandId);
  if (!command) throw new Error(`package.json does not contribute the command ${commandId}`);
  return command.category ? `${command.category}: ${command.title}` : command.title;
}

let shotNumber = 0;
/** Saves a numbered screenshot under test-output/e2e and returns its path. */
export async function screenshot(page, name) {
  shotNumber += 1;
  const file = path.join(env.out, `${process.env.E2E_SHOT_PREFIX ?? ''}${String(shotNumber).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  lap(`screenshot ${path.basename(file)}`);
  return file;
}

export async function waitForWorkbench(page) {
  await page.goto(env.url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
}

/**
 * Runs a command through the Command Palette. `label` is typed as the query; the row picked is the one whose
 * label is exactly `label` (or matches `match`), never another fuzzy match.
 */
export async function runCommand(page, label, match = exactText(label)) {
  await closeWidgets(page);
  const input = page.locator('.quick-input-widget input.input');
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: match }) }).first();
  // Under load the previous quick input can still be closing when the shortcut arrives, and the palette then
  // closes again right away; and right after start-up a built-in command may not be registered yet, while an
  // open palette never lists a command registered after it opened. So open, type and look with short
  // timeouts, and retry from the start.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => {});
      await page.keyboard.press('Control+Shift+P');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${label}`, { timeout: 5_000 });
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      break;
    } catch (err) {
      if (attempt === 3) {
        const offered = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name').allInnerTexts();
        await page.keyboard.press('Escape');
        throw new Error(`the Command Palette has no command "${label}"; it offered ${JSON.stringify(offered)} (${err.message.split('\n')[0]})`);
      }
      lap(`Command Palette did not offer "${label}" (attempt ${attempt}), retrying`);
      await closeWidgets(page);
    }
  }
  await row.click();
}

/** Closes modal dialogs, the quick input, hovers and code action menus, if any are open. */
export async function closeWidgets(page) {
  for (let i = 0; i < 3; i += 1) {
    const open = await page.locator('.monaco-dialog-box:visible, .quick-input-widget:visible, .action-widget:visible, .monaco-hover:visible').count();
    if (open === 0) return;
    await page.keyboard.press('Escape');
    await page.waitForTimeout(150);
  }
}

export function exactText(text) {
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}

export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens a workspace file by clicking through the Explorer (Quick Open is flaky right after start-up). */
export async function openFile(page, relativePath) {
  const parts = relativePath.split('/');
  for (const [index, part] of parts.entries()) {
    const row = page.locator('.explorer-folders-view .monaco-list-row[role="treeitem"]')
      .filter({ has: page.locator('.label-name', { hasText: exactText(part) }) }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    const isFolder = index < parts.length - 1;
    if (isFolder) {
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    } else {
      await row.click();
    }
  }
  const tab = page.locator('.tabs-container .tab', { hasText: parts.at(-1) });
  await tab.first().waitFor({ timeout: 15_000 });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout: 15_000 });
}

/** Clicks the Problems row of `rule` (optionally matching `rowText`): the editor reveals that line. */
export async function revealProblem(page, rule, rowText) {
  await showProblems(page);
  let row = page.locator('.markers-panel .monaco-list-row[aria-level="2"]', { hasText: rule });
  if (rowText) row = row.filter({ hasText: rowText });
  await row.first().waitFor({ timeout: 15_000 });
  await row.first().locator('.marker-message').click();
  // Enter opens the location and moves the focus into the editor.
  await page.keyboard.press('Enter');
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: 10_000 });
}

/** Opens the Problems panel and returns its rows' text once at least `min` rows are shown. */
export async function problemsRows(page, { min = 1, timeout = 30_000 } = {}) {
  await showProblems(page);
  const rows = page.locator('.markers-panel .monaco-list-row');
  const deadline = Date.now() + timeout;
  for (;;) {
    const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    const problems = texts.filter((t) => /ZDIO\d{3}/.test(t));
    if (problems.length >= min || Date.now() > deadline) return texts;
    await page.waitForTimeout(300);
  }
}

export async function showProblems(page) {
  if (!(await page.locator('.markers-panel').isVisible())) {
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  }
  await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
}

export function fileText(relativePath) {
  return readFileSync(path.join(env.workspace, relativePath), 'utf8');
}

/** The webview document inside the active webview panel (two nested iframes in VS Code 1.100). */
export function webviewFrame(page) {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

/** Sets the Problems panel filter box (it matches file paths, messages and codes). */
export async function filterProblems(page, text) {
  await showProblems(page);
  const input = page.locator('.panel .viewpane-filter input').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  await page.waitForTimeout(400);
}

/**
 * The Problems rows of one file, as text. The tree is virtualised, so the panel is filtered to the file first;
 * rows are then grouped under their file row (aria-level 1, "N problems in file X of folder Y").
 * With `settle`, polls until settle(ruleIds) is true or the timeout passes.
 */
export async function problemRowsForFile(page, fileName, { settle, timeout = 20_000 } = {}) {
  await filterProblems(page, fileName);
  const deadline = Date.now() + timeout;
  try {
    for (;;) {
      const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((els) =>
        // A virtualised list may keep its row elements out of order; their position is in style.top.
        els.map((el) => ({ top: parseFloat(el.style.top) || 0, level: el.getAttribute('aria-level'),
          label: el.getAttribute('aria-label') ?? '', text: el.innerText }))
          .sort((a, b) => a.top - b.top));
      const mine = [];
      let inFile = false;
      for (const row of rows) {
        if (row.level === '1') inFile = row.label.includes(`in file ${fileName} of`) || row.label.endsWith(`in file ${fileName}`);
        else if (inFile) mine.push(row.text.replace(/\s+/g, ' ').trim());
      }
      const ids = [...new Set(mine.flatMap((t) => t.match(/ZDIO\d{3}/g) ?? []))].sort();
      if (!settle || settle(ids) || Date.now() > deadline) return mine;
      await page.waitForTimeout(300);
    }
  } finally {
    await filterProblems(page, '');
  }
}

/** Polls the Problems panel until done(rowTexts) holds, then returns the row texts. */
export async function problemsRowsUntil(page, done, timeout = 30_000) {
  await showProblems(page);
  const deadline = Date.now() + timeout;
  for (;;) {
    const texts = (await page.locator('.markers-panel .monaco-list-row').evaluateAll((els) =>
      els.map((el) => `${el.getAttribute('aria-label') ?? ''} | ${el.innerText}`)))
      .map((t) => t.replace(/\s+/g, ' ').trim());
    if (done(texts) || Date.now() > deadline) return texts;
    await page.waitForTimeout(500);
  }
}

/**
 * Selects the Problems row of `rule` in the file (optionally the one whose text matches `row`), opens it in
 * the editor, opens the Quick Fix menu (Ctrl+.) and applies the fix whose title matches `fix`.
 * Returns the fix titles that were offered.
 */
export async function applyQuickFixOnProblem(page, { rule, fix, row: rowPattern, shotName }) {
  await revealProblem(page, rule, rowPattern);
  await page.keyboard.press('Control+.');
  const actions = page.locator('.action-widget .monaco-list-row.action');
  await actions.first().waitFor({ timeout: 15_000 });
  const titles = await actions.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? el.textContent ?? ''));
  lap(`quick fixes for ${rule}: ${JSON.stringify(titles)}`);
  if (shotName) await screenshot(page, shotName);
  const index = titles.findIndex((t) => fix.test(t));
  if (index < 0) {
    await page.keyboard.press('Escape');
    throw new Error(`no quick fix matching ${fix} for ${rule}; offered: ${JSON.stringify(titles)}`);
  }
  // Keyboard, not a click: the menu sits under a pointer-blocking overlay while it animates in.
  // The first action is focused when the menu opens.
  for (let i = 0; i < index; i += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await actions.first().waitFor({ state: 'hidden', timeout: 10_000 });
  return titles;
}

/** Waits until the file on disk (in the scratch workspace) matches `pattern`; returns its text. */
export async function waitForFile(relativePath, pattern, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = fileText(relativePath);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`${relativePath} on disk does not match ${pattern} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A view contributed by the extension (package.json contributes.views), by id. */
export function contributedView(viewId) {
  for (const views of Object.values(manifest.contributes?.views ?? {})) {
    const view = views.find((v) => v.id === viewId);
    if (view) return view;
  }
  throw new Error(`package.json does not contribute the view ${viewId}`);
}

/** Expands every collapsed row of a tree (one level per pass) and returns the rows' text. */
export async function expandTree(page, rows, maxPasses = 4) {
  for (let pass = 0; pass < maxPasses; pass += 1) {
    const collapsed = rows.locator('xpath=self::*[@aria-expanded="false"]');
    const count = await collapsed.count();
    if (count === 0) break;
    for (let i = 0; i < count; i += 1) {
      // Expanding shifts the rows below, so always take the first still-collapsed one.
      await collapsed.first().locator('.monaco-tl-twistie').click();
      await page.waitForTimeout(100);
    }
  }
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Closes every editor and notification, so the next step starts from one clean editor area. */
export async function tidy(page) {
  await closeWidgets(page);
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'View: Close All Editor Groups');
}

/**
 * Opens a saved probe report through "Open Probe Report…" and VS Code's own file dialog. In code-server that
 * dialog is the "simple file dialog": a quick input holding a path, where typing a full path and Enter opens it.
 */
export async function openReportThroughDialog(page, commandLabel, file) {
  await runCommand(page, commandLabel);
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  // The dialog fills in its start folder asynchronously; typing before that would be overwritten.
  await page.waitForFunction(() => document.querySelector('.quick-input-widget input.input')?.value.startsWith('/'), null, { timeout: 10_000 });
  // The dialog re-lists folders while the path is typed and may rewrite the value or ignore an Enter while it is
  // busy; so (re)type the path until it sticks, then accept, and retry if the dialog is still open.
  for (let attempt = 1; ; attempt += 1) {
    await page.waitForTimeout(500);
    if ((await input.inputValue()) !== file) {
      await input.fill(file);
      await page.waitForTimeout(700);
      if ((await input.inputValue()) !== file) continue;
    }
    await page.keyboard.press('Enter');
    try {
      await input.waitFor({ state: 'hidden', timeout: 4_000 });
      return;
    } catch (err) {
      if (attempt === 4) throw new Error(`the file dialog did not accept ${file}; it shows "${await input.inputValue()}"`);
      lap(`file dialog still open (attempt ${attempt}), value "${await input.inputValue()}"`);
    }
  }
}

/** Hides the bottom panel (Problems, Output, ...) if it is shown. */
export async function hidePanel(page) {
  if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Toggle Panel Visibility');
  await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 5_000 });
}

/** Shows or hides the primary side bar (Explorer, Call Sites, ...). */
export async function setSideBar(page, visible) {
  const sidebar = page.locator('.part.sidebar');
  if ((await sidebar.isVisible()) !== visible) await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  await sidebar.waitFor({ state: visible ? 'visible' : 'hidden', timeout: 5_000 });
}

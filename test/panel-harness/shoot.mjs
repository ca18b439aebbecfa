// Renders the harness in Debian's Chromium (playwright-core), checks what a screenshot cannot show
// (CSP violations, script errors, sanitising, keyboard paths, component registration) and saves
// screenshots to test-output/panel/. Exit code 1 when a check fails.
//   node test/panel-harness/build.mjs && node test/panel-harness/shoot.mjs [scenario…]
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { EXPERIMENT_IDS } from './catalog.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
// Build output lives under test-output/ (gitignored, outside the type-checked tree).
const out = path.join(root, 'test-output/panel-harness');
const shots = path.join(root, 'test-output/panel');
mkdirSync(shots, { recursive: true });
if (!existsSync(path.join(out, 'dark.html'))) throw new Error('run node test/panel-harness/build.mjs first');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
const server = createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '');
  const file = path.join(out, rel);
  if (rel === 'favicon.ico') { res.writeHead(204); res.end(); return; }
  if (!file.startsWith(out + path.sep) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const failures = [];
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };

async function open(theme, scenario, { width = 820, height = 1000, restore = false } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(`${base}/${theme}.html?s=${scenario}${restore ? '&restore=1' : ''}`);
  await page.locator('.layout').waitFor();
  await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
  await page.waitForTimeout(400);
  return { page, problems };
}

// Full page for review, plus the first screen (what a user sees on opening) for the README.
async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  await page.screenshot({ path: path.join(shots, `${name}-view.png`), fullPage: false });
}

const only = process.argv.slice(2);
const want = (s) => only.length === 0 || only.includes(s);
const THEMES = ['dark', 'light', 'hc'];

// 1. Every scenario in every theme: no CSP violation, no script error.
const SCENARIOS = ['standard', 'always', 'old', 'finding', 'fresh', 'probing', 'nozfs', 'nozfs-finding', 'nozfs-report', 'untrusted', 'failed', 'trace', 'hostile'];
for (const scenario of SCENARIOS.filter(want)) {
  for (const theme of THEMES) {
    const { page, problems } = await open(theme, scenario);
    await shot(page, `${scenario}-${theme}`);
    // The hostile scenario is checked separately (section 5).
    if (scenario !== 'hostile') check(problems.length === 0, `${scenario}/${theme}: no CSP violations or errors${problems.length ? `: ${problems.join(' | ')}` : ''}`);
    await page.close();
  }
}

// 2. Components really render under the strict CSP (constructable stylesheets, no inline styles).
if (want('standard')) {
  const { page } = await open('dark', 'standard');
  const info = await page.evaluate(() => {
    const btn = document.querySelector('vscode-button');
    const inner = btn?.shadowRoot?.querySelector('button, .wrapper, div');
    return {
      defined: ['vscode-button', 'vscode-badge', 'vscode-progress-bar', 'vscode-collapsible', 'vscode-single-select', 'vscode-option'].every((t) => !!customElements.get(t)),
      sheets: btn?.shadowRoot?.adoptedStyleSheets?.length ?? 0,
      bg: btn ? getComputedStyle(btn).backgroundColor : null,
      innerBg: inner ? getComputedStyle(inner).backgroundColor : null,
    };
  });
  check(info.defined, 'all six vscode-elements components are registered');
  check(info.sheets > 0, `vscode-button styles come from adoptedStyleSheets (${info.sheets})`);
  check([info.bg, info.innerBg].some((c) => c && c !== 'rgba(0, 0, 0, 0)'), `vscode-button is painted (${info.bg} / ${info.innerBg})`);

  // 3. Keyboard: Tab reaches the matrix cells; Enter explains; the pane heading takes focus.
  let reached = false;
  for (let i = 0; i < 80 && !reached; i += 1) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.getAttribute('data-experiment') === 'cfr.odirect.misaligned');
  }
  check(reached, 'Tab reaches the matrix cell cfr.odirect.misaligned');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
  const pane = await page.evaluate(() => ({ heading: document.getElementById('experiment-h')?.textContent, focused: document.activeElement?.id }));
  check(pane.heading === 'copy_file_range on O_DIRECT descriptors, misaligned' && pane.focused === 'experiment-h',
    `Enter on a cell explains it and focuses the explanation (${JSON.stringify(pane)})`);
  const focusRing = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(focusRing !== 'none', `focused heading shows an outline (${focusRing})`);
  await shot(page, 'cell-explained-dark-narrow');
  // Back to the matrix returns focus to the same cell.
  await page.locator('[data-focus-key="back-to-matrix"]').click();
  const back = await page.evaluate(() => document.activeElement?.getAttribute('data-experiment'));
  check(back === 'cfr.odirect.misaligned', `"Back to the matrix" refocuses the cell (${back})`);
  await page.close();

  // 4. Wide layout, cell explained on the right.
  for (const theme of THEMES) {
    const wide = await open(theme, 'standard', { width: 1400, height: 1000 });
    await wide.page.locator('[data-experiment="dio.write.buf"]').click();
    await wide.page.waitForTimeout(200);
    await shot(wide.page, `wide-standard-${theme}`);
    await wide.page.close();
  }
}

// 5. Hostile article HTML is defused before it reaches the DOM.
if (want('hostile')) {
  const { page, problems } = await open('dark', 'hostile');
  const r = await page.evaluate(() => {
    const body = document.querySelector('.article-body');
    return {
      pwned: document.body.dataset.pwned ?? null,
      handlers: body ? Array.from(body.querySelectorAll('*')).filter((el) => Array.from(el.attributes).some((a) => /^on/i.test(a.name))).length : -1,
      scripts: body?.querySelectorAll('script, iframe, form, input, style').length ?? -1,
      styleAttrs: body?.querySelectorAll('[style]').length ?? -1,
      jsLinks: body ? Array.from(body.querySelectorAll('a')).filter((a) => /^javascript:/i.test(a.getAttribute('href') ?? '')).length : -1,
      realLink: body?.querySelector('a[href^="https://github.com"]') !== null,
    };
  });
  check(r.pwned === null && r.handlers === 0 && r.scripts === 0 && r.styleAttrs === 0 && r.jsLinks === 0 && r.realLink,
    `hostile article defused: ${JSON.stringify(r)}`);
  // Chromium checks inline handlers and style attributes against the page CSP while DOMPurify parses
  // the dirty HTML in its inert document, and reports them as blocked. That is the second wall
  // working; anything else (an error, or a violation that was not blocked) fails.
  const unexpected = problems.filter((p) => !/violates the following Content Security Policy directive.*has been blocked/s.test(p));
  check(unexpected.length === 0, `hostile: only blocked-by-CSP reports, nothing else (${unexpected.join(' | ')})`);
  await page.close();
}

// 6. Live probe: progress, aria-live announcement, Escape cancels.
if (want('fresh')) {
  const { page } = await open('dark', 'fresh');
  await page.locator('[data-focus-key="run-probe"]').click();
  await page.waitForTimeout(1300);
  const during = await page.evaluate(() => ({
    step: document.querySelector('.probe-status.running .step')?.textContent,
    live: document.querySelector('[aria-live="polite"]')?.textContent,
    cancel: !!document.querySelector('[data-focus-key="cancel-probe"]'),
  }));
  check(!!during.step && /Probe:/.test(during.live ?? '') && during.cancel, `probe shows live progress and a Cancel button: ${JSON.stringify(during)}`);
  await shot(page, 'probe-running-dark');
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => ({ status: document.querySelector('.probe-status')?.className, cancelled: window.__posted.some((m) => m.type === 'cancelProbe') }));
  check(after.cancelled && /cancelled/.test(after.status ?? ''), `Escape cancels the probe: ${JSON.stringify(after)}`);
  // Run to completion: the matrix appears.
  await page.locator('[data-focus-key="run-probe"]').click();
  await page.waitForSelector('.cell', { timeout: 10000 });
  check(await page.locator('.cell').count() === EXPERIMENT_IDS.length, `a finished probe fills the ${EXPERIMENT_IDS.length} matrix cells`);
  await page.close();
}

// The trace timeline: one row per recorded call, the refused ones marked with their rules; a row's link
// asks the host for that row by its index (the host decides which file opens).
if (want('trace')) {
  const { page } = await open('dark', 'trace', { width: 1400, height: 1100 });
  const rows = await page.locator('table.trace-table tbody tr').count();
  const expected = await page.evaluate(() => window.HARNESS.scenarios.trace.onReady.find((m) => m.type === 'trace').trace.rows.length);
  check(rows === expected && rows > 0, `trace: ${rows} rows for the ${expected} calls of the recorded trace`);
  const refused = await page.evaluate(() => [...document.querySelectorAll('table.trace-table td.answer.failed')].map((td) => td.textContent));
  check(refused.length > 0 && refused.every((t) => /^EINVAL(ZDIO\d{3})+$/.test(t ?? '')), `trace: each refused call shows EINVAL and its rules (${JSON.stringify(refused)})`);
  const link = page.locator('table.trace-table tbody tr.has-finding a').first();
  await link.focus();
  await page.keyboard.press('Enter');
  const asked = await page.evaluate(() => window.__posted.filter((m) => m.type === 'revealTraceCall'));
  check(asked.length === 1 && Number.isInteger(asked[0].row) && Object.keys(asked[0]).length === 2,
    `trace: Enter on a source link posts revealTraceCall with the row's index only (${JSON.stringify(asked)})`);
  await shot(page, 'wide-trace-dark');
  await page.close();
}

// 7. Reload: the saved state comes back from vscode.getState() alone (the fake host stays silent).
if (want('finding')) {
  const { page } = await open('dark', 'finding');
  const snapshot = () => page.evaluate(() => ({
    explain: document.querySelector('.explain')?.textContent ?? '',
    verdicts: document.querySelector('.verdicts')?.textContent ?? '',
    cells: document.querySelectorAll('.cell').length,
  }));
  const before = await snapshot();
  await page.goto(`${base}/dark.html?s=finding&restore=1&silent=1`);
  await page.locator('.layout').waitFor();
  await page.waitForTimeout(300);
  const after = await snapshot();
  check(before.cells === EXPERIMENT_IDS.length && after.cells === EXPERIMENT_IDS.length && after.explain === before.explain && after.verdicts === before.verdicts,
    `state restored after reload without the host (pane: ${after.explain.slice(0, 50)}…)`);
  if (after.explain !== before.explain) console.log(`  before: ${before.explain}\n  after:  ${after.explain}`);
  await page.close();
}

// 8. No ZFS: from a diagnostic the article gets the width; a saved report keeps its sections together.
if (want('nozfs-finding')) {
  for (const theme of THEMES) {
    const { page } = await open(theme, 'nozfs-finding', { width: 1400, height: 1000 });
    const box = await page.evaluate(() => {
      const r = (sel) => { const b = document.querySelector(sel)?.getBoundingClientRect(); return b ? { x: b.x, y: b.y, w: b.width, h: b.height } : null; };
      const scroll = [...document.querySelectorAll('.article-body pre')].filter((p) => p.scrollWidth > p.clientWidth + 1).length;
      return { pane: r('.pane-col'), main: r('.main-col'), scroll };
    });
    check(!!box.pane && !!box.main && box.pane.w >= 900 && box.pane.y < box.main.y,
      `nozfs-finding/${theme}: the article takes the width, the no-ZFS note below it (${JSON.stringify(box)})`);
    check(box.scroll === 0, `nozfs-finding/${theme}: no code block needs horizontal scrolling at 1400 px (${box.scroll})`);
    await shot(page, `wide-nozfs-finding-${theme}`);
    await page.close();
  }
}
if (want('nozfs-report')) {
  const { page } = await open('dark', 'nozfs-report', { width: 1400, height: 1000 });
  const order = await page.evaluate(() => {
    const y = (sel) => document.querySelector(sel)?.getBoundingClientRect().y ?? -1;
    return { system: y('.slot-system .system'), verdicts: y('.slot-verdicts .verdicts'), matrix: y('.slot-matrix section'), note: y('.slot-datasets .no-zfs'),
      noteText: document.querySelector('.slot-datasets')?.textContent ?? '' };
  });
  check(order.system >= 0 && order.system < order.verdicts && order.verdicts < order.matrix && order.matrix < order.note,
    `nozfs-report: Probed system, verdicts, matrix, then this machine's note (${JSON.stringify(order)})`);
  check(/recorded on, not this machine/.test(order.noteText) && !/nothing to probe here/i.test(order.noteText),
    `nozfs-report: the note speaks of this machine, not of the report (${order.noteText.slice(0, 120)}…)`);
  const code = await page.evaluate(() => ({
    code: [...document.querySelectorAll('.verdict code')].map((c) => c.textContent),
    raw: [...document.querySelectorAll('.verdict')].filter((v) => /`/.test(v.textContent ?? '')).length,
  }));
  check(code.code.length > 0 && code.raw === 0, `known-issue cards render inline code, no raw backticks (${JSON.stringify(code)})`);
  await shot(page, 'wide-nozfs-report-dark');
  // A matrix cell's parameters read as words.
  await page.locator('[data-experiment="cfr.aligned"]').click().catch(() => {});
  await page.waitForTimeout(200);
  const labels = await page.evaluate(() => [...document.querySelectorAll('.experiment table.params th')].map((t) => t.textContent));
  check(labels.length > 0 && !labels.some((l) => /\b[a-z]+[A-Z]|[a-z]_[a-z]/.test(l ?? '')), `experiment parameters are labelled in words (${JSON.stringify(labels)})`);
  await shot(page, 'wide-nozfs-report-cell-dark');
  await page.close();
}

// 9. Untrusted: the probe button is disabled and the reason is on screen.
if (want('untrusted')) {
  const { page } = await open('dark', 'untrusted');
  const u = await page.evaluate(() => ({
    disabled: document.querySelector('[data-focus-key="run-probe"]')?.hasAttribute('disabled'),
    why: document.querySelector('.untrusted-notice')?.textContent ?? '',
  }));
  check(u.disabled === true && /not trusted/.test(u.why), `untrusted: probe disabled with a reason (${u.why.slice(0, 60)}…)`);
  await page.close();
}

await browser.close();
server.close();
console.log(failures.length ? `\n${failures.length} check(s) failed` : '\nall harness checks passed');
process.exit(failures.length ? 1 : 0);

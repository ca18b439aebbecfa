// End-to-end: what a user sees of the package itself in a real VS Code (code-server): the extension's details page
// (README images and icon from the .vsix) and the settings (schema validation in the Settings editor, a visible
// warning for a value the extension ignores). Run through test/e2e/run.sh after workbench.spec.mjs, on the same server.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as wb from './workbench.mjs';

const WORKSPACE_SETTINGS = path.join(wb.env.workspace, '.vscode', 'settings.json');

let browser;
let page;

before(async () => {
  ({ browser, page } = await wb.launch());
  await wb.waitForWorkbench(page);
  wb.lap('workbench loaded');
});

after(async () => {
  rmSync(WORKSPACE_SETTINGS, { force: true });
  await browser?.close();
});

/** The width in a PNG file's IHDR chunk. */
function pngWidth(relativePath) {
  return readFileSync(path.join(wb.env.root, relativePath)).readUInt32BE(16);
}

/** The README's image links, in order. */
function readmeImages() {
  const readme = readFileSync(path.join(wb.env.root, 'README.md'), 'utf8');
  return [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

test('the extension details page shows the icon and every README image, loaded from the installed extension', async () => {
  const expected = readmeImages();
  assert.ok(expected.length >= 3, 'the README has images');
  await wb.closeWidgets(page);
  await wb.runCommand(page, 'Extensions: Show Enabled Extensions');
  const item = page.locator('.extension-list-item', { hasText: wb.manifest.displayName }).first();
  await item.waitFor({ timeout: 60_000 }).catch(async (err) => {
    await wb.screenshot(page, 'extensions-view');
    const rows = await page.locator('.sidebar .monaco-list-row').allInnerTexts();
    throw new Error(`the extensions view has no ${wb.manifest.displayName}: ${JSON.stringify(rows)} (${err.message})`);
  });
  await item.click();
  const editor = page.locator('.extension-editor');
  await editor.waitFor({ timeout: 20_000 });
  // The icon in the header comes from package.json "icon".
  const icon = editor.locator('.header .icon').first();
  await icon.waitFor({ timeout: 10_000 });
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await icon.elementHandle(), { timeout: 10_000 })
    .catch(() => {});
  const iconState = await icon.evaluate((el) => ({ src: el.getAttribute('src'), width: el.naturalWidth }));
  wb.lap(`icon: ${JSON.stringify(iconState)}`);
  assert.ok(iconState.width === 128, `the icon loaded at 128 px: ${JSON.stringify(iconState)}`);
  assert.doesNotMatch(iconState.src ?? '', /defaultIcon|default-icon/, 'not the default icon');

  // The README renders in a webview; wait until each image has loaded or failed.
  const frame = wb.webviewFrame(page);
  await frame.locator('h1', { hasText: wb.manifest.displayName }).first().waitFor({ timeout: 20_000 });
  const images = frame.locator('img');
  await images.first().waitFor({ timeout: 10_000 });
  let states = [];
  for (let i = 0; i < 40; i += 1) {
    states = await images.evaluateAll((els) => els.map((el) => ({ src: el.getAttribute('src'), done: el.complete, width: el.naturalWidth })));
    if (states.length >= expected.length && states.every((s) => s.done && s.width > 0)) break;
    if (states.length >= expected.length && states.every((s) => s.done)) break;
    await page.waitForTimeout(250);
  }
  wb.lap(`README images: ${JSON.stringify(states.map((st) => ({ ...st, src: st.src?.slice(0, 30) })))}`);
  await frame.locator('img').nth(1).scrollIntoViewIfNeeded().catch(() => {});
  await page.waitForTimeout(300);
  await wb.screenshot(page, 'extension-details');
  assert.equal(states.length, expected.length, 'one <img> per README image');
  for (const [i, s] of states.entries()) {
    // The packaged README carries each image as a data: URI (scripts/vsix-readme.mjs); it must be that picture.
    assert.ok(s.src?.startsWith('data:image/png;base64,'), `image ${expected[i]} is inlined: ${s.src?.slice(0, 40)}`);
    assert.equal(s.width, pngWidth(expected[i]), `image ${expected[i]} loaded at its own width`);
  }
  // No link to a page that does not exist: the invalid repository URL is gone from the header.
  assert.doesNotMatch(await editor.locator('.header').innerText(), /example\.invalid/);
});

test('the Settings editor offers only valid page sizes, and a value it cannot check gives a visible warning', async () => {
  await wb.closeWidgets(page);
  // The extension activates on a C file; its settings reader is what warns.
  await wb.runCommand(page, 'View: Show Explorer');
  await wb.openFile(page, 'c/blockstore.c');
  await wb.runCommand(page, 'Preferences: Open Settings (UI)');
  const search = page.locator('.settings-editor .settings-header .monaco-editor textarea, .settings-editor .suggest-input-container textarea').first();
  await search.waitFor({ timeout: 15_000 });
  await search.fill(`@ext:${wb.manifest.publisher}.${wb.manifest.name} page size`);
  const item = page.locator('.settings-editor .setting-item-contents', { hasText: 'Page Size' }).first();
  await item.waitFor({ timeout: 15_000 });
  await page.waitForTimeout(500);
  const select = item.locator('select').first();
  await select.waitFor({ timeout: 5_000 });
  const options = await select.locator('option').allInnerTexts();
  wb.lap(`pageSize options: ${JSON.stringify(options)}`);
  const schema = wb.manifest.contributes.configuration.find((category) => category.properties['zfsDio.pageSize']).properties['zfsDio.pageSize'];
  assert.deepEqual(options.map((o) => o.trim()), schema.enumItemLabels, 'a dropdown of the schema\'s power-of-two labels');
  await wb.screenshot(page, 'settings-page-size');

  // Browsed from the table of contents (search results always show a setting's category), each category is
  // named by its keys' prefix, so the labels carry no "Zfs Dio:" before them.
  // The search box is a Monaco editor: select all and delete (fill('') leaves the query in place).
  await search.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.locator('.settings-editor .settings-count-widget', { hasText: /Setting.? Found/ }).waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  const tocRow = (text) => page.locator('.settings-editor .settings-toc-container .monaco-list-row', { hasText: text }).first();
  await tocRow('Extensions').waitFor({ timeout: 15_000 });
  // The table of contents and the settings are virtualised lists, and a click on a group's row toggles it, so
  // whether a click opens or closes "Extensions" depends on the state the search left behind. The extension's
  // entry, sorted last among the extensions, is reached from the keyboard instead: End focuses the last row shown
  // and ArrowRight expands it, repeated until the category's row is rendered. Each category is checked on its first
  // setting, the one shown at the top.
  const toc = page.locator('.settings-editor .settings-toc-container .monaco-list').first();
  const revealTocRow = async (group) => {
    for (let attempt = 0; attempt < 8 && !(await tocRow(group).isVisible()); attempt++) {
      await toc.focus();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowRight');
      await tocRow(group).waitFor({ timeout: 1_000 }).catch(() => {});
    }
    if (!(await tocRow(group).isVisible())) {
      await wb.screenshot(page, `settings-toc-no-${group.toLowerCase()}`);
      assert.fail(`the table of contents never showed ${group} under the extension's entry`);
    }
  };
  for (const [group, setting] of [['Analysis', 'Languages'], ['Probe', 'Zfs Path']]) {
    const shown = page.locator('.settings-editor .settings-tree-container .setting-item-contents', { hasText: setting }).first();
    // A click on a row at the list's lower edge, or under the hover of the row above, can land before the
    // list has scrolled: the settings tree then stays where it was. Click again, up to three times.
    for (let attempt = 1; ; attempt++) {
      await revealTocRow(group);
      await tocRow(group).click();
      const seen = await shown.waitFor({ timeout: 10_000 }).then(() => true, () => false);
      if (seen) break;
      if (attempt === 3) {
        await wb.screenshot(page, `settings-${group.toLowerCase()}-not-shown`);
        assert.fail(`a click on ${group} in the table of contents never showed ${setting}`);
      }
      wb.lap(`${group}: ${setting} not shown after a click (attempt ${attempt}), clicking again`);
      await page.keyboard.press('Escape');
    }
    const category = (await shown.locator('.setting-item-category').first().innerText()).trim();
    const label = (await shown.locator('.setting-item-label').first().innerText()).trim();
    wb.lap(`${group}: category ${JSON.stringify(category)}, label ${label}`);
    await wb.screenshot(page, `settings-${group.toLowerCase()}`);
    assert.equal(category, '', `no category before ${setting}`);
    assert.equal(label, setting);
  }

  // A settings.json can hold anything: the extension ignores 1000 and says so in a notification, not only in its
  // log. The workspace's .vscode/settings.json, because the workspace folder is what the server watches for edits.
  mkdirSync(path.dirname(WORKSPACE_SETTINGS), { recursive: true });
  writeFileSync(WORKSPACE_SETTINGS, JSON.stringify({ 'zfsDio.pageSize': 1000 }, null, 2));
  // A toast, or (when VS Code holds toasts back, as under an open Settings editor) the notification centre.
  const toast = page.locator('.notifications-toasts .notification-toast, .notifications-center .notification-list-item', { hasText: 'zfsDio.pageSize' }).first();
  try {
    await toast.waitFor({ timeout: 15_000 });
  } catch {
    await wb.runCommand(page, 'Notifications: Show Notifications');
    await toast.waitFor({ timeout: 10_000 }).catch(async (err) => {
      await wb.screenshot(page, 'settings-no-warning');
      throw err;
    });
  }
  const text = (await toast.innerText()).replace(/\s+/g, ' ');
  wb.lap(`warning: ${text}`);
  await wb.screenshot(page, 'settings-ignored-value');
  assert.match(text, /zfsDio\.pageSize: 1000 is not a power of two .*; using the default 4096/);
  assert.match(text, /Open Settings/);
  rmSync(WORKSPACE_SETTINGS, { force: true });
});

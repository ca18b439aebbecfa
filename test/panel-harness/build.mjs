// Builds the standalone panel harness into test/panel-harness/out/: the real webview bundle, the
// measured fixture reports as host-message scenarios, real knowledge articles rendered by the core
// (when src/core/knowledge exists), VS Code theme variables, and one page per theme.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
// Build output lives under test-output/ (gitignored, outside the type-checked tree).
const out = path.join(root, 'test-output/panel-harness');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// 1. The webview exactly as scripts/build.mjs bundles it.
await build({ bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: true, logLevel: 'warning',
  entryPoints: [path.join(root, 'webview/main.ts')], outfile: path.join(out, 'webview.js') });

// 2. Scenario data, computed on Node with the core modules that exist.
const has = (rel) => existsSync(path.join(root, rel));
const hasKnowledge = has('src/core/knowledge/articles.ts') && has('src/core/knowledge/render.ts');
const hasVerdicts = has('src/core/knowledge/verdicts.ts');
const hasAnalyzer = has('src/core/analysis/analyze.ts');
const entry = path.join(out, 'data-entry.ts');
const imp = (names, rel) => `import { ${names} } from ${JSON.stringify(path.join(root, rel))};`;
writeFileSync(entry, [
  `import { buildHarness } from ${JSON.stringify(path.join(here, 'scenarios'))};`,
  `import { readFileSync } from 'node:fs';`,
  imp('RULES', 'src/core/rules'),
  imp('DEFAULT_SETTINGS', 'src/core/types'),
  hasKnowledge ? imp('listArticles, loadArticle', 'src/core/knowledge/articles') : '',
  hasKnowledge ? imp('renderMarkdown', 'src/core/knowledge/render') : '',
  hasVerdicts ? imp('evaluate', 'src/core/knowledge/verdicts') : 'const evaluate = undefined;',
  hasAnalyzer ? imp('analyzeText', 'src/core/analysis/analyze') : '',
  'export async function data(root: string) {',
  '  const articlesDir = root + "/media/articles";',
  hasKnowledge
    ? `  const articles = listArticles(articlesDir).map((ref) => { const a = loadArticle(articlesDir, ref.id); return { id: a.id, title: a.title, html: renderMarkdown(a.markdown) }; });`
    : `  const articles = RULES.map((r) => ({ id: r.id, title: r.title, html: '<h1>' + r.title + '</h1><p>(placeholder: the knowledge articles are not written yet)</p>' }));`,
  // A real finding: the analyzer run on the C sample, as zfsDio.explainRule would receive it.
  '  let finding: any;',
  hasAnalyzer ? `  try {
    const file = root + '/samples/c/blockstore.c';
    const text = readFileSync(file, 'utf8');
    const result = await analyzeText(text, 'c', DEFAULT_SETTINGS, { fileName: file });
    const f = ['ZDIO002', 'ZDIO001', 'ZDIO003', 'ZDIO004'].map((id) => result.findings.find((x: any) => x.ruleId === id)).find(Boolean);
    if (f) finding = { ruleId: f.ruleId, file, line: f.range.start.line, code: text.split(String.fromCharCode(10))[f.range.start.line], derived: f.derived };
  } catch (e) { console.warn('harness: analyzer failed, using the fixed finding:', (e as Error).message); }` : '',
  '  return buildHarness({ root, articles, evaluate: evaluate as any, finding });',
  '}',
].join('\n'));
const bundled = path.join(out, 'data.cjs');
await build({ bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', entryPoints: [entry], outfile: bundled,
  define: { 'import.meta.url': 'importMetaUrl' }, banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" } });
const require = createRequire(import.meta.url);
process.env.ZFS_DIO_ROOT ??= root;
const harness = await require(bundled).data(root);
writeFileSync(path.join(out, 'scenarios.js'), `window.HARNESS = ${JSON.stringify(harness)};\n`);

// 3. Static files and one page per theme, with the same CSP shape as the real panel ('self' stands in for cspSource).
for (const f of ['fake-vscode.js', 'base.css']) cpSync(path.join(here, f), path.join(out, f));
cpSync(path.join(here, 'themes'), path.join(out, 'themes'), { recursive: true });
const NONCE = 'harness-nonce-0123456789';
const csp = `default-src 'none'; img-src 'self'; style-src 'self'; font-src 'self'; script-src 'nonce-${NONCE}'`;
for (const [kind, bodyClass] of [['light', 'vscode-light'], ['dark', 'vscode-dark'], ['hc', 'vscode-high-contrast']]) {
  writeFileSync(path.join(out, `${kind}.html`), `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="themes/${kind}.css"><link rel="stylesheet" href="base.css"><link rel="stylesheet" href="webview.css">
<title>ZFS Direct I/O (harness, ${kind})</title></head>
<body class="${bodyClass}" data-vscode-theme-kind="${bodyClass}">
<script nonce="${NONCE}" src="scenarios.js"></script>
<script nonce="${NONCE}" src="fake-vscode.js"></script>
<script nonce="${NONCE}" src="webview.js"></script>
</body></html>
`);
}
console.log(`panel harness: ${Object.keys(harness.scenarios).length} scenarios, ${Object.keys(harness.articles).length} articles`
  + `${hasKnowledge ? '' : ' (placeholders: no src/core/knowledge yet)'}${hasVerdicts ? ', verdicts from evaluate()' : ', fixture verdicts'}`
  + `, finding ${harness.scenarios.finding.finding.ruleId} line ${harness.scenarios.finding.finding.line + 1} -> ${path.relative(root, out)}/`);

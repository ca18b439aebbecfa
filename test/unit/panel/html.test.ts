import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPanelHtml, contentSecurityPolicy, makeNonce } from '../../../src/editor/panel-html';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';

test('CSP is strict: nothing by default, own files only, scripts by nonce, no inline or eval', () => {
  const csp = contentSecurityPolicy(cspSource, 'abc123');
  assert.equal(csp, `default-src 'none'; img-src ${cspSource}; style-src ${cspSource}; font-src ${cspSource}; script-src 'nonce-abc123'`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https:(?!\/\/file\+)|\*/);
});

test('nonces are long, random and base64', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 100; i += 1) {
    const n = makeNonce();
    assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
    seen.add(n);
  }
  assert.equal(seen.size, 100);
});

test('the shell loads exactly one script, with the nonce, and one stylesheet, and has no inline code', () => {
  const html = buildPanelHtml({ cspSource, nonce: 'n0nce', scriptUri: `${cspSource}/ext/dist/webview.js`, styleUri: `${cspSource}/ext/dist/webview.css` });
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0]!, /nonce="n0nce"/);
  assert.match(scripts[0]!, /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\.js"/);
  assert.match(html, /<script[^>]*><\/script>/, 'the script tag has no inline body');
  assert.doesNotMatch(html, /<style|\sstyle="|\son\w+="/i);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
});

test('URIs with quotes cannot break out of their attribute', () => {
  const html = buildPanelHtml({ cspSource, nonce: 'x', scriptUri: 'a"><script>alert(1)</script>', styleUri: 's' });
  assert.equal((html.match(/<script\b/g) ?? []).length, 1);
  assert.match(html, /&quot;&gt;&lt;script&gt;/);
});

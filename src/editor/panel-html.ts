// The panel's HTML shell and its Content Security Policy. No `vscode` import, so the policy is unit-tested.
import { randomBytes } from 'node:crypto';

export interface PanelHtmlInput {
  /** webview.cspSource: the origin VS Code serves local resources from. */
  cspSource: string;
  /** webview.asWebviewUri(...) strings for dist/webview.js and dist/webview.css. */
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

/** 128 random bits, base64: unguessable per page load, as a CSP nonce must be. */
export function makeNonce(): string { return randomBytes(16).toString('base64'); }

/**
 * default-src 'none' blocks everything not named: no remote hosts, no inline script or style, no
 * eval, no frames, no connections. Scripts need the nonce; styles, images and fonts come only from
 * the extension's own files. The web components style themselves through constructable stylesheets
 * (adoptedStyleSheets), which this policy allows without 'unsafe-inline'.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function attr(value: string): string { return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!); }

export function buildPanelHtml(input: PanelHtmlInput): string {
  const csp = contentSecurityPolicy(input.cspSource, input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(input.styleUri)}">
<title>ZFS Direct I/O</title>
</head>
<body>
<noscript>The ZFS Direct I/O panel needs scripts enabled.</noscript>
<script nonce="${attr(input.nonce)}" src="${attr(input.scriptUri)}"></script>
</body>
</html>`;
}

// Markdown → HTML for the panel. The articles are ours, but the panel may also render text built from
// probe output and user code, so this renderer trusts nothing: raw HTML is shown as text, links only
// work for http(s) and in-page anchors, and images never load (the webview CSP forbids remote content
// anyway). The webview runs DOMPurify on the result as a second line of defence.
import { Marked, type Tokens } from 'marked';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** http(s) URLs and `#anchor` links only; everything else (javascript:, data:, command:, file:, relative) is refused. */
export function isAllowedHref(href: string | null | undefined): href is string {
  if (typeof href !== 'string') return false;
  const h = href.trim();
  // Control characters and whitespace inside a scheme are a classic filter bypass; refuse them outright.
  if (/[\u0000-\u001f\u007f\s]/.test(h)) return false;
  return /^https?:\/\/[^/]/i.test(h) || /^#[A-Za-z0-9._-]*$/.test(h);
}

/** GitHub-like heading slugs, so `#anchor` links inside an article work. */
export function slugify(text: string): string {
  return text.toLowerCase().trim().replace(/<[^>]*>/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s+/g, '-');
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      if (!isAllowedHref(href)) return `<span class="link-removed" title="link removed">${inner}</span>`;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      const external = href.startsWith('#') ? '' : ' rel="noopener noreferrer"';
      return `<a href="${escapeHtml(href.trim())}"${titleAttr}${external}>${inner}</a>`;
    },
    image({ text }: Tokens.Image): string {
      return `<span class="image-removed">${escapeHtml(text)}</span>`;
    },
    code({ text, lang }: Tokens.Code): string {
      const language = (lang ?? '').trim().split(/\s+/)[0] ?? '';
      const cls = /^[A-Za-z0-9_+-]+$/.test(language) ? ` class="language-${language}"` : '';
      return `<pre><code${cls}>${escapeHtml(text.replace(/\n$/, ''))}\n</code></pre>\n`;
    },
    heading({ tokens, depth, text }: Tokens.Heading): string {
      return `<h${depth} id="${escapeHtml(slugify(text))}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
  },
});

export function renderMarkdown(md: string): string {
  if (typeof md !== 'string') throw new TypeError('renderMarkdown() needs a string');
  return marked.parse(md, { async: false });
}

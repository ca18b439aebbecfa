import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAllowedHref, renderMarkdown } from '../../../src/core/knowledge/render';

test('raw HTML is escaped, not rendered', () => {
  const html = renderMarkdown('Hello <img src=x onerror=alert(1)> world\n\n<script>alert(2)</script>\n');
  assert.ok(!/<img/i.test(html), html);
  assert.ok(!/<script/i.test(html), html);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
});

test('only http(s) and #anchor links survive', () => {
  const html = renderMarkdown([
    '[bad](javascript:alert(1)) [cmd](command:workbench.action.terminal.new) [data](data:text/html,hi)',
    '[file](file:///etc/passwd) [rel](../x.md) [tab](java\tscript:alert(1))',
    '[good](https://github.com/openzfs/zfs/issues/16958) [anchor](#why) <https://example.org/a>',
  ].join('\n\n'));
  assert.ok(!/href="(?!https:\/\/|#)/.test(html), html);
  assert.ok(!/javascript:/i.test(html.replace(/<span[^>]*>[^<]*<\/span>/g, '')) || !/href="javascript/i.test(html));
  assert.match(html, /<a href="https:\/\/github\.com\/openzfs\/zfs\/issues\/16958" rel="noopener noreferrer">good<\/a>/);
  assert.match(html, /<a href="#why">anchor<\/a>/);
  assert.match(html, /<span class="link-removed"[^>]*>bad<\/span>/);
  assert.match(html, /<span class="link-removed"[^>]*>cmd<\/span>/);
  assert.equal((html.match(/<a /g) ?? []).length, 3);
  assert.equal(isAllowedHref('JavaScript:alert(1)'), false);
  assert.equal(isAllowedHref('https://'), false);
  assert.equal(isAllowedHref('#what-to-do'), true);
});

test('images never load', () => {
  const html = renderMarkdown('![diagram](https://example.org/x.png)');
  assert.ok(!/<img/i.test(html));
  assert.match(html, /diagram/);
});

test('code blocks and spans are escaped', () => {
  const html = renderMarkdown('```c\nif (a < b && c > d) puts("<b>");\n```\n\nuse `<b>` here');
  assert.match(html, /<pre><code class="language-c">if \(a &lt; b &amp;&amp; c &gt; d\) puts\(&quot;&lt;b&gt;&quot;\);/);
  assert.match(html, /<code>&lt;b&gt;<\/code>/);
  const evilLang = renderMarkdown('```c" onmouseover="x\ncode\n```');
  assert.ok(!/onmouseover="x"/.test(evilLang), evilLang);
});

test('headings get anchors so #links work', () => {
  assert.match(renderMarkdown('## What to do'), /<h2 id="what-to-do">What to do<\/h2>/);
});

test('tables render (articles use them)', () => {
  assert.match(renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |'), /<table>[\s\S]*<td>1<\/td>/);
});

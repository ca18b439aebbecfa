// The explanation pane: a knowledge article (with the user's own code when opened from a
// diagnostic), the explanation of one matrix cell, or a short index of articles.
import DOMPurify from 'dompurify';
import type { FindingContext, RenderedArticle } from '../../src/core/panel-protocol';
import { RULES } from '../../src/core/rules';
import type { ExperimentId } from '../../src/core/types';
import { h } from '../dom';
import { bytesText, describeDerivedValue, describeExperimentParam, EXPERIMENT_PARAMS } from '../../src/core/value-labels';
import { classify, explainResult, EXPERIMENTS, findExperiment, procedureOf } from '../model';
import type { ViewState } from '../state';
import { button, collapsible } from '../ui';
import { articleLink, type Actions } from './actions';

export function renderExplain(state: ViewState, actions: Actions): HTMLElement {
  const known = new Set(state.articles.map((a) => a.id));
  const pane = state.pane;
  const section = h('section', { class: 'card explain', 'aria-label': 'Explanation' });
  switch (pane.kind) {
    case 'welcome':
      section.append(welcome(state, actions, known));
      break;
    case 'loading':
      section.append(h('p', { class: 'muted' }, `Opening ${pane.id}…`));
      break;
    case 'articleError':
      section.append(h('div', { class: 'notice notice-error', role: 'alert' },
        h('strong', null, `Could not open ${pane.id}. `), pane.message), welcome(state, actions, known));
      break;
    case 'article':
      if (pane.finding) section.append(yourCode(pane.finding, actions));
      section.append(articleBody(pane.article, actions, known));
      break;
    case 'experiment':
      section.append(experiment(pane.id, state, actions, known));
      break;
  }
  return section;
}

// DOMPurify runs here, in the webview, where a real DOM exists: the host's marked output is never
// trusted as-is. The CSP (no inline script, no remote anything) is the second wall.
const PURIFY_CONFIG = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
  // Heading ids stay (in-page anchors); DOMPurify's default SANITIZE_DOM keeps them from clobbering globals.
  FORBID_ATTR: ['style', 'name'],
  ALLOWED_URI_REGEXP: /^(?:https?:|#)/i,
};

export function sanitize(html: string): DocumentFragment {
  return DOMPurify.sanitize(html, { ...PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true });
}

function articleBody(article: RenderedArticle, actions: Actions, known: ReadonlySet<string>): HTMLElement {
  const body = h('div', { class: 'article-body' });
  body.append(sanitize(article.html));
  for (const a of Array.from(body.querySelectorAll('a'))) {
    const href = a.getAttribute('href') ?? '';
    const target = articleTarget(href, known);
    if (target) {
      a.setAttribute('href', '#');
      a.dataset.article = target;
      a.addEventListener('click', (ev) => { ev.preventDefault(); actions.openArticle(target); });
    } else if (/^https?:/i.test(href)) {
      // VS Code opens http(s) links from a webview in the external browser; say so on hover.
      a.title = `${href} (opens in your browser)`;
      a.rel = 'noreferrer noopener';
    } else if (href.startsWith('#') && href.length > 1) {
      // In-page anchor: scroll within the pane instead of navigating the webview document.
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        const target = body.querySelector<HTMLElement>(`[id="${CSS.escape(decodeURIComponent(href.slice(1)))}"]`);
        if (target) { target.tabIndex = -1; target.focus(); target.scrollIntoView({ block: 'start' }); }
      });
    } else {
      a.removeAttribute('href');
    }
  }
  // Articles name each other as `openzfs-17218` or `ZDIO001` in code spans; make those spans links.
  for (const code of Array.from(body.querySelectorAll('code'))) {
    const id = code.textContent?.trim() ?? '';
    if (!known.has(id) || code.closest('a, pre')) continue;
    const link = articleLink(actions, known, id, '');
    code.replaceWith(link);
    link.append(code);
  }
  return h('article', { class: 'article', 'aria-label': article.title }, body);
}

/** Cross-article links: `#article:<id>`, `<id>.md` or `./<id>.md`, when <id> is a known article. */
function articleTarget(href: string, known: ReadonlySet<string>): string | undefined {
  const m = /^(?:#article:|\.?\/?)([A-Za-z0-9][A-Za-z0-9._-]*?)(?:\.md)?(?:#.*)?$/.exec(href);
  if (!m || (!href.startsWith('#article:') && !/\.md(?:#|$)/.test(href))) return undefined;
  return known.has(m[1]!) ? m[1] : undefined;
}

function yourCode(finding: FindingContext, actions: Actions): HTMLElement {
  const rule = RULES.find((r) => r.id === finding.ruleId);
  const location = finding.file
    ? `${baseName(finding.file)}${finding.line !== undefined ? `:${finding.line + 1}` : ''}` : undefined;
  const box = h('div', { class: 'your-code', role: 'region', 'aria-label': 'Your code' },
    h('div', { class: 'your-code-head' },
      h('h2', null, 'Your code'),
      h('span', { class: 'rule-id' }, finding.ruleId, rule ? ` · ${rule.title}` : '')));
  if (location) {
    const loc = h('p', { class: 'location mono', title: finding.file }, location);
    if (finding.file) {
      loc.append(' ', button('Show in editor', { secondary: true, focusKey: 'reveal-finding', onClick: actions.revealFinding,
        title: 'Open the file at this line' }));
    }
    box.append(loc);
  }
  if (finding.code !== undefined) {
    const gutter = finding.line !== undefined ? `${finding.line + 1}` : '';
    box.append(h('pre', { class: 'code-line', tabindex: 0, 'aria-label': 'The flagged line' },
      gutter ? h('span', { class: 'gutter', 'aria-hidden': 'true' }, gutter) : null, h('code', null, finding.code.trim())));
  }
  const derived = Object.entries(finding.derived ?? {});
  if (derived.length) {
    box.append(h('table', { class: 'data derived' },
      h('caption', null, 'What the analyzer derived'),
      h('tbody', null, ...derived.map(([k, v]) => {
        const { label, text } = describeDerivedValue(k, v);
        return h('tr', null, h('th', { scope: 'row' }, label), h('td', { class: typeof v === 'string' && text === v ? 'mono' : undefined }, text));
      }))));
  }
  return box;
}

function baseName(file: string): string { return file.replace(/^.*[\\/]/, ''); }

const IO_PATH_WORDS = { unknown: 'not measurable', arc: 'ARC', uncached: 'ARC, uncached', direct: 'direct' } as const;

function experiment(id: ExperimentId, state: ViewState, actions: Actions, known: ReadonlySet<string>): HTMLElement {
  const info = EXPERIMENTS[id];
  const result = findExperiment(state.report, id);
  const o = classify(id, result);
  const report = state.report;
  const params: Array<[string, string]> = [];
  if (report?.dataset) {
    params.push(['Dataset', report.dataset.name]);
    const direct = report.dataset.properties.direct;
    if (direct !== undefined) params.push(['direct (dataset property)', direct]);
    const rs = Number(report.dataset.properties.recordsize);
    if (Number.isSafeInteger(rs) && rs > 0) params.push([EXPERIMENT_PARAMS.recordsize!.label, bytesText(rs)]);
  }
  if (report?.pageSize) params.push([EXPERIMENT_PARAMS.pageSize!.label, bytesText(report.pageSize)]);
  for (const [k, v] of Object.entries(result?.params ?? {})) {
    const { label, text } = describeExperimentParam(k, v);
    if (!params.some(([seen]) => seen.toLowerCase() === label.toLowerCase())) params.push([label, text]);
  }
  if (result) {
    params.push(['Return value', result.result === 'ok' ? `${result.bytes ?? '?'} bytes` : `error ${result.errno ?? '?'}`]);
    if (result.result === 'ok') {
      if (info.family !== 'dio') params.push(['Cloned', result.cloned === null ? 'not measured' : result.cloned ? 'yes (bclonesaved grew)' : 'no (bclonesaved unchanged)']);
      else params.push(['I/O path', IO_PATH_WORDS[result.io]]);
    }
    if (result.dataOk !== undefined && result.dataOk !== null) params.push(['Content check', result.dataOk ? 'identical' : 'MISMATCH']);
  }
  const links = info.articles.filter((a) => known.has(a))
    .map((a) => h('li', null, articleLink(actions, known, a, state.articles.find((x) => x.id === a)?.title ?? a)));

  const nav = h('div', { class: 'pane-nav' },
    button('Back to the matrix', { secondary: true, focusKey: 'back-to-matrix', onClick: () => actions.focusCell(id) }));
  if (state.lastArticle) {
    nav.append(button(`Back to ${state.lastArticle.article.title}`, { secondary: true, focusKey: 'back-to-article', onClick: actions.backToArticle }));
  }
  return h('div', { class: 'experiment' },
    nav,
    h('h2', { id: 'experiment-h', tabindex: -1 }, info.title),
    h('p', { class: 'outcome-line' }, h('span', { class: `swatch outcome-${o.outcome}` }, o.label), o.detail ? ` ${o.detail}` : ''),
    h('h3', null, 'What the probe did'),
    procedureOf(id) ? h('p', null, procedureOf(id)!) : null,
    h('p', null, info.purpose),
    h('h3', null, 'Parameters and result'),
    h('table', { class: 'data params' }, h('tbody', null,
      ...params.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', { class: 'mono' }, v))))),
    h('h3', null, 'What it means'),
    ...explainResult(info, result, report).map((t) => h('p', null, t)),
    links.length ? h('h3', null, 'Read more') : null,
    links.length ? h('ul', { class: 'links' }, ...links) : null);
}

function welcome(state: ViewState, actions: Actions, known: ReadonlySet<string>): HTMLElement {
  const title = (id: string) => state.articles.find((a) => a.id === id)?.title ?? id;
  const overviews = state.overviews.filter((id) => known.has(id));
  const rules = RULES.filter((r) => known.has(r.article));
  const others = state.articles.filter((a) => !overviews.includes(a.id) && !rules.some((r) => r.article === a.id));
  const box = h('div', { class: 'welcome' },
    h('h2', null, 'Explanations'),
    h('p', null, 'Pick a cell in the experiment matrix, a verdict\'s article, or start with an overview.'));
  if (overviews.length) box.append(h('ul', { class: 'links' }, ...overviews.map((id) => h('li', null, articleLink(actions, known, id, title(id))))));
  if (rules.length) {
    box.append(collapsible('Rules', false, [h('ul', { class: 'links' },
      ...rules.map((r) => h('li', null, articleLink(actions, known, r.article, `${r.id}: ${r.title}`))))]));
  }
  if (others.length) {
    box.append(collapsible('Known issues and background', false, [h('ul', { class: 'links' },
      ...others.map((a) => h('li', null, articleLink(actions, known, a.id, a.title))))]));
  }
  if (!state.articles.length && state.connected) box.append(h('p', { class: 'muted' }, 'No articles are installed.'));
  return box;
}

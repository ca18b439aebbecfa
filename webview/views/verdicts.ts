// Verdicts from the known-issues database for the probed system.
import type { Verdict } from '../../src/core/types';
import { h, withInlineCode } from '../dom';
import { sortVerdicts, splitInlineCode, STATUS_LABEL, verdictArticle } from '../model';
import type { ViewState } from '../state';
import { collapsible } from '../ui';
import { articleLink, type Actions } from './actions';

const STATUS_MARK: Record<Verdict['status'], string> = { affected: '✖', 'not-affected': '✔', unknown: '?' };

export function renderVerdicts(state: ViewState, actions: Actions): HTMLElement {
  const section = h('section', { class: 'card verdicts', 'aria-labelledby': 'verdicts-h' },
    h('h2', { id: 'verdicts-h' }, 'Known issues'));
  const report = state.report;
  if (!report) {
    section.append(h('p', { class: 'muted' }, 'After a probe, each known OpenZFS Direct I/O and cloning issue is checked against this system\'s versions, settings and measured results.'));
    return section;
  }
  if (report.verdicts.length === 0) {
    section.append(h('p', { class: 'muted' }, 'The report has no verdicts.'));
    return section;
  }
  const known = new Set(state.articles.map((a) => a.id));
  const sorted = sortVerdicts(report.verdicts);
  const count = (s: Verdict['status']) => sorted.filter((v) => v.status === s).length;
  const contradictions = sorted.filter((v) => v.contradiction).length;
  section.append(h('p', { class: 'summary' },
    summaryChip('affected', `${count('affected')} affected`),
    contradictions ? summaryChip('contradiction', `${contradictions} contradicted by the measurements`) : null,
    count('unknown') ? summaryChip('unknown', `${count('unknown')} unknown`) : null,
    count('not-affected') ? summaryChip('not-affected', `${count('not-affected')} not affected`) : null));

  const prominent = sorted.filter((v) => v.status !== 'not-affected' || v.contradiction);
  const quiet = sorted.filter((v) => v.status === 'not-affected' && !v.contradiction);
  section.append(h('div', { class: 'verdict-list' }, ...prominent.map((v) => verdictCard(v, actions, known))));
  if (quiet.length) {
    section.append(collapsible(`Not affected (${quiet.length})`, prominent.length === 0,
      [h('div', { class: 'verdict-list' }, ...quiet.map((v) => verdictCard(v, actions, known)))]));
  }
  return section;
}

function summaryChip(kind: string, text: string): HTMLElement {
  return h('span', { class: `chip chip-${kind}` }, text);
}

/** The database writes commands and names as `inline code`. */
function rich(text: string): Node[] { return withInlineCode(splitInlineCode(text)); }

function verdictCard(v: Verdict, actions: Actions, known: ReadonlySet<string>): HTMLElement {
  const article = verdictArticle(v, known);
  const title = v.title ? `${v.issue}: ${v.title}` : v.issue;
  return h('article', { class: `verdict status-${v.status}${v.contradiction ? ' contradicted' : ''}` },
    h('header', null,
      h('span', { class: `status-pill status-${v.status}` },
        h('span', { 'aria-hidden': 'true' }, STATUS_MARK[v.status]), ` ${STATUS_LABEL[v.status]}`),
      h('h3', null, ...rich(title))),
    v.reasons.length ? h('ul', { class: 'reasons' }, ...v.reasons.map((r) => h('li', null, ...rich(r)))) : null,
    v.contradiction ? h('div', { class: 'notice notice-warn contradiction', role: 'note' },
      h('strong', null, 'Measurements disagree with the database: '), ...rich(v.contradiction)) : null,
    v.workaround ? h('p', { class: 'workaround' }, h('strong', null, 'What to do: '), ...rich(v.workaround)) : null,
    article ? h('p', { class: 'more' }, articleLink(actions, known, article, `Read the article on ${v.issue}`)) : null);
}

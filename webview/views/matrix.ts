// The experiment matrix: two small tables, each cell a focusable button that explains itself.
import type { ExperimentId } from '../../src/core/types';
import { activate, h } from '../dom';
import { classify, EXPERIMENT_COUNT, explainResult, EXPERIMENTS, findExperiment, MATRIX, OUTCOME_LEGEND, type MatrixTable } from '../model';
import type { ViewState } from '../state';
import { collapsible } from '../ui';
import type { Actions } from './actions';

export function renderMatrix(state: ViewState, actions: Actions): HTMLElement {
  const section = h('section', { class: 'card matrix', 'aria-labelledby': 'matrix-h' },
    h('h2', { id: 'matrix-h' }, 'Experiment matrix'));
  const report = state.report;
  if (!report) {
    section.append(h('p', { class: 'muted' }, `The probe runs ${EXPERIMENT_COUNT} small experiments: copy_file_range and the clone ioctls with aligned and misaligned ranges, `
      + 'and O_DIRECT reads and writes with an aligned or misaligned buffer, length and offset. The results appear here.'));
    return section;
  }
  const selected = state.pane.kind === 'experiment' ? state.pane.id : undefined;
  const where = report.dataset ? `${report.dataset.name} (direct=${report.dataset.properties.direct ?? '?'}, recordsize=${report.dataset.properties.recordsize ?? '?'})` : 'the probed dataset';
  section.append(
    h('p', { class: 'muted' }, `Measured on ${where}. Select a cell (click, or Tab to it and press Enter) to see what the experiment did and what the result means.`),
    legend(MATRIX.some((t) => t.rows.some((r) => r.cells.some((id) => id && !findExperiment(report, id))))));
  for (const table of MATRIX) section.append(matrixTable(table, state, actions, selected));
  if (report.notes?.length) {
    section.append(collapsible(`Probe notes (${report.notes.length})`, false, [h('ul', { class: 'notes' }, ...report.notes.map((n) => h('li', null, n)))]));
  }
  return section;
}

function legend(withMissing: boolean): HTMLElement {
  const items = withMissing ? [...OUTCOME_LEGEND, { outcome: 'missing', label: 'Not run', meaning: 'no result in this report' }] : OUTCOME_LEGEND;
  return h('ul', { class: 'legend', 'aria-label': 'Outcome legend' },
    ...items.map((l) => h('li', null,
      h('span', { class: `swatch outcome-${l.outcome}`, 'aria-hidden': 'true' }, l.label),
      h('span', { class: 'legend-meaning' }, l.meaning))));
}

function matrixTable(table: MatrixTable, state: ViewState, actions: Actions, selected: ExperimentId | undefined): HTMLElement {
  const head = h('tr', null, h('td', { class: 'corner' }), ...table.columns.map((c) => h('th', { scope: 'col' }, c)));
  const rows = table.rows.map((row) => h('tr', null,
    h('th', { scope: 'row' }, row.label),
    ...row.cells.map((id) => (id ? h('td', null, cell(id, state, actions, id === selected))
      : h('td', { class: 'na' }, h('span', { class: 'muted', title: 'No experiment for this combination' }, '–'))))));
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'matrix-table' }, h('caption', null, table.caption), h('thead', null, head), h('tbody', null, ...rows)));
}

function cell(id: ExperimentId, state: ViewState, actions: Actions, isSelected: boolean): HTMLElement {
  const info = EXPERIMENTS[id];
  const result = findExperiment(state.report, id);
  const o = classify(id, result);
  const meaning = explainResult(info, result, state.report)[0] ?? '';
  const el = h('div', {
    class: `cell outcome-${o.outcome}${isSelected ? ' selected' : ''}`,
    role: 'button', tabindex: 0, 'data-focus-key': `cell:${id}`, 'data-experiment': id,
    'aria-pressed': isSelected ? 'true' : 'false',
    'aria-label': `${info.title}: ${o.label}${o.detail ? `, ${o.detail}` : ''}`,
    title: `${info.title}\nResult: ${o.label}${o.detail ? ` (${o.detail})` : ''}\n\n${meaning}\n\nEnter or click for details.`,
  }, h('span', { class: 'cell-label' }, o.label), o.detail ? h('span', { class: 'cell-detail' }, o.detail) : null);
  activate(el, () => actions.showExperiment(id));
  return el;
}

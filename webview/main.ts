// Entry of the panel's browser bundle (dist/webview.js, plus dist/webview.css from the import below).
// It owns the state, talks to the host, and re-renders only the sections whose inputs changed, so
// keyboard focus survives live updates.
import './styles.css';
import type { HostMessage, WebviewMessage } from '../src/core/panel-protocol';
import type { ExperimentId } from '../src/core/types';
import { h } from './dom';
import { applyHostMessage, isProbeRunning, restoreState, type ViewState } from './state';
import { updateProgressBar } from './ui';
import type { Actions } from './views/actions';
import { renderDatasets } from './views/datasets';
import { renderExplain } from './views/explain';
import { renderMatrix } from './views/matrix';
import { renderSystem } from './views/system';
import { renderTrace } from './views/trace';
import { renderVerdicts } from './views/verdicts';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state: ViewState = restoreState(vscode.getState());

function post(message: WebviewMessage): void { vscode.postMessage(message); }

function update(next: ViewState): void {
  state = next;
  vscode.setState(state);
  render();
}

// Where keyboard focus should go after the next render (set by user actions, not by host pushes).
let focusAfterRender: (() => void) | undefined;

const actions: Actions = {
  runProbe() {
    if (!state.selectedDataset || !state.trusted || isProbeRunning(state)) return;
    const target = state.selectedDataset;
    post({ type: 'runProbe', target });
    update({ ...state, probe: { status: 'running', target, step: 'Starting…' } });
    announce(`Probing ${target}.`);
  },
  cancelProbe() {
    if (!isProbeRunning(state)) return;
    post({ type: 'cancelProbe' });
    announce('Cancelling the probe.');
  },
  refreshDatasets() {
    post({ type: 'refreshDatasets' });
    update({ ...state, datasets: { status: 'loading' } });
  },
  selectDataset(name) { update({ ...state, selectedDataset: name }); },
  openArticle(id) {
    post({ type: 'openArticle', id });
    focusAfterRender = undefined;
    pendingArticleFocus = true;
    update({ ...state, pane: { kind: 'loading', id } });
  },
  showExperiment(id) {
    focusAfterRender = () => {
      const heading = document.getElementById('experiment-h');
      heading?.focus();
      heading?.scrollIntoView({ block: 'nearest' });
    };
    update({ ...state, pane: { kind: 'experiment', id } });
  },
  revealFinding() { post({ type: 'revealFinding' }); },
  backToArticle() {
    if (!state.lastArticle) return;
    pendingArticleFocus = true;
    update({ ...state, pane: { kind: 'article', ...state.lastArticle }, articleId: state.lastArticle.article.id });
  },
  focusCell(id: ExperimentId) {
    const cell = document.querySelector<HTMLElement>(`[data-experiment="${CSS.escape(id)}"]`);
    cell?.focus();
    cell?.scrollIntoView({ block: 'nearest' });
  },
  revealTraceCall(row: number) { post({ type: 'revealTraceCall', row }); },
};
let pendingArticleFocus = false;

// ---------------------------------------------------------------------------------------------
// Layout and keyed section rendering

const slots = {
  system: h('div', { class: 'slot slot-system' }),
  datasets: h('div', { class: 'slot slot-datasets' }),
  verdicts: h('div', { class: 'slot slot-verdicts' }),
  matrix: h('div', { class: 'slot slot-matrix' }),
  trace: h('div', { class: 'slot slot-trace' }),
  explain: h('div', { class: 'slot slot-explain' }),
};
const announcer = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
document.body.append(
  h('div', { class: 'layout' },
    h('main', { class: 'main-col' }, slots.system, slots.datasets, slots.verdicts, slots.matrix, slots.trace),
    h('aside', { class: 'pane-col', 'aria-label': 'Explanation pane' }, slots.explain)),
  announcer);

type SlotName = keyof typeof slots;
const lastKeys = new Map<SlotName, unknown[]>();

function mount(name: SlotName, key: unknown[], build: () => HTMLElement): void {
  const prev = lastKeys.get(name);
  if (prev && prev.length === key.length && prev.every((v, i) => v === key[i])) return;
  lastKeys.set(name, key);
  const slot = slots[name];
  const active = document.activeElement;
  const focusKey = active instanceof HTMLElement && slot.contains(active)
    ? active.closest<HTMLElement>('[data-focus-key]')?.dataset.focusKey : undefined;
  slot.replaceChildren(build());
  if (focusKey) {
    const again = slot.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`);
    // A disabled control cannot hold focus; fall back to the section so Tab continues from here.
    if (again && !again.hasAttribute('disabled')) {
      again.focus();
    } else {
      const heading = slot.querySelector<HTMLElement>('h2');
      if (heading) { heading.tabIndex = -1; heading.focus(); }
    }
  }
}

function render(): void {
  const s = state;
  const p = s.probe;
  const noZfs = s.datasets.status === 'no-zfs';
  mount('system', [s.report, noZfs], () => renderSystem(s.report, noZfs));
  // Progress steps are patched in place (below) instead of rebuilding the section for each one.
  const probeKey = p.status === 'running' ? 'running' : p;
  mount('datasets', [s.datasets, s.selectedDataset, probeKey, p.status === 'running' ? p.target : '', s.trusted, s.connected,
    s.report?.dataset?.name, s.articles, s.overviews], () => renderDatasets(s, actions));
  if (p.status === 'running') patchProgress(p.target, p.step, p.fraction);
  // With no ZFS and no report, the verdict and matrix placeholders would only promise a probe that cannot run.
  const hideResults = noZfs && !s.report;
  mount('verdicts', [s.report, s.articles, hideResults], () => (hideResults ? h('div', { hidden: true }) : renderVerdicts(s, actions)));
  mount('matrix', [s.report, s.pane.kind === 'experiment' ? s.pane.id : '', hideResults], () => (hideResults ? h('div', { hidden: true }) : renderMatrix(s, actions)));
  // A trace is of the user's program, not of a dataset: it shows even where there is nothing to probe.
  mount('trace', [s.trace], () => (hideResults && !s.trace ? h('div', { hidden: true }) : renderTrace(s.trace, actions)));
  mount('explain', [s.pane, s.articles, s.overviews, s.report, s.lastArticle, s.connected], () => renderExplain(s, actions));
  document.body.classList.toggle('has-finding', s.pane.kind === 'article' && !!s.pane.finding);
  // Nothing but the "no ZFS" note in the main column: the explanation gets the width.
  document.body.classList.toggle('results-hidden', hideResults);
  // A report from another machine: its system, verdicts and matrix stay together; this machine's note follows them.
  document.body.classList.toggle('report-from-elsewhere', noZfs && !!s.report);

  if (focusAfterRender) { const f = focusAfterRender; focusAfterRender = undefined; f(); }
  if (pendingArticleFocus && s.pane.kind === 'article') {
    pendingArticleFocus = false;
    const heading = slots.explain.querySelector<HTMLElement>('.article-body h1, .article-body h2');
    if (heading) { heading.tabIndex = -1; heading.focus(); heading.scrollIntoView({ block: 'nearest' }); }
  }
}

function patchProgress(target: string, step: string, fraction?: number): void {
  const bar = slots.datasets.querySelector<HTMLElement>('.probe-status.running vscode-progress-bar, .probe-status.running [role="progressbar"]');
  if (bar) updateProgressBar(bar, `Probing ${target}`, fraction);
  const text = slots.datasets.querySelector<HTMLElement>('.probe-status.running .step');
  if (text) text.textContent = step;
  const pct = slots.datasets.querySelector<HTMLElement>('.probe-status.running .pct');
  if (pct) pct.textContent = fraction === undefined ? '' : ` ${Math.round(fraction * 100)}%`;
}

// ---------------------------------------------------------------------------------------------
// Host messages

let lastAnnouncedStep = '';
function announce(text: string): void { announcer.textContent = text; }

function announceProbe(msg: HostMessage): void {
  if (msg.type !== 'probe') return;
  const p = msg.probe;
  if (p.status === 'running') {
    // Announce step changes, not every percentage tick.
    if (p.step !== lastAnnouncedStep) { lastAnnouncedStep = p.step; announce(`Probe: ${p.step}`); }
    return;
  }
  lastAnnouncedStep = '';
  if (p.status === 'done') announce(`Probe of ${p.target} finished.`);
  else if (p.status === 'cancelled') announce(`Probe of ${p.target} cancelled.`);
  else if (p.status === 'failed') announce(`Probe of ${p.target} failed: ${p.message}`);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = event.data as HostMessage | null;
  if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
  update(applyHostMessage(state, msg));
  announceProbe(msg);
});

window.addEventListener('keydown', (ev) => {
  // Escape cancels a running probe from anywhere in the panel.
  if (ev.key === 'Escape' && isProbeRunning(state)) { ev.preventDefault(); actions.cancelProbe(); }
});

render();
post({ type: 'ready' });

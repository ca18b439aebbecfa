// The webview's whole state: what the host told it plus what the user selected. It is saved with
// vscode.setState after every change, so a reload shows the same panel before the host answers.
// `articleId` and `selectedDataset` sit at the top level because the host reads them back on restore
// (parseRestoredState in src/core/panel-protocol.ts).
import type {
  ArticleRef, DatasetsState, FindingContext, HostMessage, ProbeState, RenderedArticle, TraceTimeline,
} from '../src/core/panel-protocol';
import type { ExperimentId, ProbeReport } from '../src/core/types';

export type Pane =
  | { kind: 'welcome' }
  | { kind: 'loading'; id: string }
  | { kind: 'article'; article: RenderedArticle; finding: FindingContext | null }
  | { kind: 'articleError'; id: string; message: string }
  | { kind: 'experiment'; id: ExperimentId };

export interface ViewState {
  v: 1;
  /** False until the host's first `init`: controls stay disabled meanwhile. */
  connected: boolean;
  trusted: boolean;
  articles: ArticleRef[];
  overviews: string[];
  datasets: DatasetsState;
  selectedDataset?: string;
  probe: ProbeState;
  report: ProbeReport | null;
  /** The window's last trace, as the host sent it. */
  trace: TraceTimeline | null;
  pane: Pane;
  /** The last article shown, kept when the pane shows a matrix cell, so "Back to article" works. */
  lastArticle?: { article: RenderedArticle; finding: FindingContext | null };
  articleId?: string;
}

export function initialState(): ViewState {
  return {
    v: 1, connected: false, trusted: false, articles: [], overviews: [],
    datasets: { status: 'loading' }, probe: { status: 'idle' }, report: null, trace: null, pane: { kind: 'welcome' },
  };
}

/** Accepts a saved state only if it is ours; anything else starts fresh. */
export function restoreState(saved: unknown): ViewState {
  const fresh = initialState();
  if (typeof saved !== 'object' || saved === null || (saved as { v?: unknown }).v !== 1) return fresh;
  const s = saved as ViewState;
  // A probe cannot survive a reload (the host process that ran it may be gone); the host resends its state.
  const probe: ProbeState = s.probe?.status === 'running' ? { status: 'idle' } : (s.probe ?? fresh.probe);
  return { ...fresh, ...s, connected: false, probe };
}

export function applyHostMessage(state: ViewState, msg: HostMessage): ViewState {
  switch (msg.type) {
    case 'init':
      return { ...state, connected: true, trusted: msg.trusted, articles: msg.articles, overviews: msg.overviews };
    case 'trust':
      return { ...state, trusted: msg.trusted };
    case 'datasets': {
      const names = msg.datasets.status === 'ok' ? msg.datasets.datasets.map((d) => d.name) : [];
      const keep = state.selectedDataset && names.includes(state.selectedDataset);
      const fromReport = state.report?.dataset?.name;
      const selectedDataset = keep ? state.selectedDataset
        : fromReport && names.includes(fromReport) ? fromReport : names[0];
      return { ...state, datasets: msg.datasets, selectedDataset };
    }
    case 'probe':
      return { ...state, probe: msg.probe };
    case 'report': {
      const name = msg.report?.dataset?.name;
      return { ...state, report: msg.report, selectedDataset: name ?? state.selectedDataset };
    }
    case 'article': {
      const shown = { article: msg.article, finding: msg.finding };
      return { ...state, pane: { kind: 'article', ...shown }, lastArticle: shown, articleId: msg.article.id };
    }
    case 'articleError':
      return { ...state, pane: { kind: 'articleError', id: msg.id, message: msg.message } };
    case 'trace':
      return { ...state, trace: msg.trace };
    default:
      return state;
  }
}

export function isProbeRunning(state: ViewState): boolean { return state.probe.status === 'running'; }

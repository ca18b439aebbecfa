import type { ExperimentId } from '../../src/core/types';
import { h } from '../dom';

/** Everything a view can ask for. main.ts implements it by updating state or posting to the host. */
export interface Actions {
  runProbe(): void;
  cancelProbe(): void;
  refreshDatasets(): void;
  selectDataset(name: string): void;
  openArticle(id: string): void;
  showExperiment(id: ExperimentId): void;
  revealFinding(): void;
  backToArticle(): void;
  focusCell(id: ExperimentId): void;
  /** Opens the source line of row `row` of the trace the host sent. */
  revealTraceCall(row: number): void;
}

/**
 * A link to a knowledge article, or plain text when the host did not list the id (so the webview
 * never asks for an article the host would reject).
 */
export function articleLink(actions: Actions, known: ReadonlySet<string>, id: string, label: string): HTMLElement {
  if (!known.has(id)) return h('span', { class: 'muted' }, label);
  const a = h('a', { href: '#', 'data-article': id, 'data-focus-key': `article-link:${id}:${label}` }, label);
  a.addEventListener('click', (ev) => { ev.preventDefault(); actions.openArticle(id); });
  return a;
}

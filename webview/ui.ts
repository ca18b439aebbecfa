// The one module that knows which component library the panel uses (@vscode-elements/elements,
// the maintained successor of the archived @vscode/webview-ui-toolkit). Views call the factories
// below and never write a `vscode-*` tag themselves, so swapping the library, or replacing a
// component with plain HTML, is a change to this file only.
//
// Only the components used are imported: each import registers one custom element.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';

export interface ButtonOptions {
  secondary?: boolean;
  disabled?: boolean;
  /** Tooltip and accessible description. */
  title?: string;
  /** Stable key so focus survives a re-render. */
  focusKey?: string;
  onClick: () => void;
}

export function button(label: string, opts: ButtonOptions): HTMLElement {
  const el = document.createElement('vscode-button');
  el.textContent = label;
  if (opts.secondary) el.setAttribute('secondary', '');
  if (opts.title) el.title = opts.title;
  if (opts.focusKey) el.dataset.focusKey = opts.focusKey;
  setDisabled(el, !!opts.disabled);
  // vscode-button turns Enter and Space into click itself.
  el.addEventListener('click', () => { if (!isDisabled(el)) opts.onClick(); });
  return el;
}

export function setDisabled(el: HTMLElement, disabled: boolean): void {
  el.toggleAttribute('disabled', disabled);
  el.setAttribute('aria-disabled', String(disabled));
}

export function isDisabled(el: HTMLElement): boolean { return el.hasAttribute('disabled'); }

/** A neutral count badge (theme badge colours). */
export function countBadge(count: number, label: string): HTMLElement {
  const el = document.createElement('vscode-badge');
  el.setAttribute('variant', 'counter');
  el.textContent = String(count);
  el.setAttribute('aria-label', label);
  el.title = label;
  return el;
}

/** A progress bar; `fraction` in 0..1, undefined = indeterminate. */
export function progressBar(label: string, fraction?: number): HTMLElement {
  const el = document.createElement('vscode-progress-bar');
  updateProgressBar(el, label, fraction);
  return el;
}

export function updateProgressBar(el: HTMLElement, label: string, fraction?: number): void {
  const bar = el as HTMLElement & { value?: number; max: number; indeterminate: boolean; ariaLabel: string | null };
  bar.ariaLabel = label;
  bar.max = 100;
  if (fraction === undefined || !Number.isFinite(fraction)) {
    bar.indeterminate = true;
  } else {
    bar.indeterminate = false;
    bar.value = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  }
}

/** A section that can be folded; the heading is keyboard operable inside the component. */
export function collapsible(heading: string, open: boolean, content: Node[], description?: string): HTMLElement {
  const el = document.createElement('vscode-collapsible');
  el.setAttribute('heading', heading);
  if (description) el.setAttribute('description', description);
  el.toggleAttribute('open', open);
  el.append(...content);
  return el;
}

export interface SelectOption { value: string; label: string; description?: string }

export function select(label: string, options: SelectOption[], value: string | undefined,
  onChange: (value: string) => void, focusKey?: string): HTMLElement {
  const el = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  el.setAttribute('aria-label', label);
  if (focusKey) el.dataset.focusKey = focusKey;
  for (const opt of options) {
    const option = document.createElement('vscode-option');
    option.setAttribute('value', opt.value);
    if (opt.description) option.setAttribute('description', opt.description);
    option.textContent = opt.label;
    if (opt.value === value) option.setAttribute('selected', '');
    el.append(option);
  }
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

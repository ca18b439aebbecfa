// A tiny element builder. Text always goes in through textContent, never innerHTML: the only HTML
// the panel inserts is article HTML, and that passes DOMPurify first (see views/explain.ts).

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Makes a non-button element behave as a button for mouse and keyboard (Enter and Space). */
export function activate(el: HTMLElement, handler: () => void): void {
  el.addEventListener('click', handler);
  el.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); handler(); }
  });
}

/** Text with `inline code` spans as <code> elements; still only text nodes, never HTML. */
export function withInlineCode(parts: ReadonlyArray<{ code: boolean; text: string }>): Node[] {
  return parts.map((p) => (p.code ? h('code', null, p.text) : document.createTextNode(p.text)));
}

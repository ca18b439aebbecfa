// The last trace of this window (Trace a Program…) as a timeline beside the probe's matrix: each recorded
// call in the order it happened, what it asked for and what the kernel answered, with a link to the
// program's own line. The host sends only rows it keeps; a row's link names its index, never a file.
import type { TimelineRow, TraceTimeline } from '../../src/core/panel-protocol';
import { activate, h } from '../dom';
import type { Actions } from './actions';

export function renderTrace(trace: TraceTimeline | null, actions: Actions): HTMLElement {
  const section = h('section', { class: 'card trace', 'aria-labelledby': 'trace-h' }, h('h2', { id: 'trace-h' }, 'Trace'));
  if (!trace) {
    section.append(h('p', { class: 'muted' }, 'Run “ZFS Direct I/O: Trace a Program…” to see here what your program really asked the kernel, '
      + 'and what the kernel answered, call by call.'));
    return section;
  }
  const findings = trace.findings === 1 ? '1 finding' : `${trace.findings} findings`;
  section.append(h('p', null, h('code', null, trace.command.join(' ')), ` ${trace.exit}: ${trace.calls} relevant call${trace.calls === 1 ? '' : 's'}, ${findings}.`));
  if (trace.rows.length === 0) return section;
  const head = h('tr', null, ...['#', 'Call', 'File', 'Request', 'Result', 'Source'].map((c) => h('th', { scope: 'col' }, c)));
  const rows = trace.rows.map((row, i) => traceRow(row, i, actions));
  section.append(h('div', { class: 'table-scroll' },
    h('table', { class: 'trace-table' }, h('caption', { class: 'sr-only' }, 'Recorded calls, in order'), h('thead', null, head), h('tbody', null, ...rows))));
  if (trace.omitted > 0) {
    section.append(h('p', { class: 'muted' }, `${trace.omitted} more call${trace.omitted === 1 ? ' is' : 's are'} not shown; every call with a finding is. The whole trace is in `,
      h('code', null, 'zfs-dio trace --format json'), '.'));
  }
  return section;
}

function traceRow(row: TimelineRow, index: number, actions: Actions): HTMLElement {
  const file = row.path ? row.path.split('/').pop()! : row.fd === null ? '' : `fd ${row.fd}`;
  const where = row.dataset ? `${row.path ?? ''}\non ${row.dataset}${row.direct ? ` (direct=${row.direct})` : ''}` : row.path ?? '';
  const result = h('td', { class: row.failed ? 'answer failed' : 'answer' }, row.answer,
    ...row.rules.map((r) => h('span', { class: 'rule-badge', title: `${r}: this call broke the rule` }, r)));
  let source: HTMLElement;
  if (row.source) {
    const label = `${row.source.file.split('/').pop()}:${row.source.line}`;
    source = h('a', { href: '#', 'data-focus-key': `trace-row:${row.event}`, title: `${row.source.file}:${row.source.line}${row.source.function ? ` in ${row.source.function}()` : ''}`,
      'aria-label': `Open ${label}` }, label);
    activate(source, () => actions.revealTraceCall(index));
    source.addEventListener('click', (ev) => ev.preventDefault());
  } else {
    source = h('span', { class: 'muted', title: 'No source line: build the program with -g' }, '–');
  }
  return h('tr', { class: row.rules.length ? 'has-finding' : undefined },
    h('td', { class: 'muted' }, String(row.event + 1)),
    h('td', null, h('code', null, row.syscall)),
    h('td', { title: where }, file, row.dataset ? h('div', { class: 'muted' }, `${row.dataset}${row.direct ? `, direct=${row.direct}` : ''}`) : null),
    h('td', null, row.request),
    result,
    h('td', null, source));
}

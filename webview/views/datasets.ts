// Datasets on this machine, the probe controls and the probe's live state.
import type { DatasetInfo } from '../../src/core/types';
import { h } from '../dom';
import { formatProperty, KEY_PROPERTIES, tidyReason } from '../model';
import { isProbeRunning, type ViewState } from '../state';
import { button, countBadge, progressBar, select } from '../ui';
import { articleLink, type Actions } from './actions';

export function renderDatasets(state: ViewState, actions: Actions): HTMLElement {
  const known = new Set(state.articles.map((a) => a.id));
  const ds = state.datasets;
  const heading = h('h2', { id: 'datasets-h' }, ds.status === 'no-zfs' && state.report ? 'This machine' : 'Datasets');
  if (ds.status === 'ok') heading.append(' ', countBadge(ds.datasets.length, `${ds.datasets.length} mounted datasets`));
  const refresh = button('Refresh', {
    secondary: true, focusKey: 'refresh', title: 'List the mounted ZFS datasets again',
    disabled: !state.connected || isProbeRunning(state), onClick: actions.refreshDatasets,
  });
  const section = h('section', { class: 'card datasets', 'aria-labelledby': 'datasets-h' },
    h('div', { class: 'card-head' }, heading, refresh));
  // Said first and in every state (also with no ZFS or no dataset), so the user always learns why probing is off.
  if (!state.trusted) section.append(untrustedNotice());

  switch (ds.status) {
    case 'loading':
      section.append(h('p', { class: 'muted' }, 'Looking for ZFS datasets…'));
      return section;
    case 'no-zfs':
      section.append(noZfs(ds.message, state, actions, known));
      return section;
    case 'error':
      section.append(h('div', { class: 'notice notice-error', role: 'alert' },
        h('strong', null, 'Could not list datasets. '), tidyReason(ds.message)));
      return section;
    case 'ok':
      break;
  }
  if (ds.datasets.length === 0) {
    section.append(h('p', null, 'ZFS is installed, but no dataset is mounted. Mount one (or create a pool) and press Refresh.'));
    return section;
  }
  section.append(datasetTable(ds.datasets, state.selectedDataset, state.report?.dataset?.name), probeControls(state, actions));
  return section;
}

function noZfs(message: string, state: ViewState, actions: Actions, known: ReadonlySet<string>): HTMLElement {
  const overviewLinks = state.overviews.filter((id) => known.has(id)).map((id) => {
    const title = state.articles.find((a) => a.id === id)?.title ?? id;
    return h('li', null, articleLink(actions, known, id, title));
  });
  if (state.report) {
    // The report shown is about the machine it was recorded on; this machine's state is a footnote to it.
    return h('div', { class: 'notice notice-info no-zfs', role: 'status' },
      h('h3', null, 'No ZFS to probe on this machine'),
      h('p', null, `The report above describes the machine and dataset it was recorded on, not this machine. ${tidyReason(message)}`));
  }
  return h('div', { class: 'notice notice-info no-zfs', role: 'status' },
    h('h3', null, 'No ZFS to probe on this machine'),
    h('p', null, tidyReason(message)),
    h('p', null, 'There is nothing to probe here, so the panel cannot show what your system does. The scanner still works: '
      + 'it checks your code against the page size and recordsize from the settings. To learn what OpenZFS does with '
      + 'O_DIRECT and copy_file_range, read:'),
    overviewLinks.length ? h('ul', null, ...overviewLinks) : h('p', { class: 'muted' }, 'The overview articles are not installed.'));
}

function datasetTable(datasets: DatasetInfo[], selected: string | undefined, probed: string | undefined): HTMLElement {
  const head = h('tr', null, h('th', { scope: 'col' }, 'Dataset and mountpoint'),
    ...KEY_PROPERTIES.map((p) => h('th', { scope: 'col' }, p)));
  const rows = datasets.map((d) => {
    const marks = [d.name === selected ? 'selected' : '', d.name === probed ? 'probed' : ''].filter(Boolean).join(' ');
    return h('tr', { class: marks || undefined, 'aria-selected': d.name === selected ? 'true' : undefined },
      h('th', { scope: 'row', class: 'dataset-name' },
        h('span', { class: 'mono' }, d.name), d.name === probed ? h('span', { class: 'tag' }, 'probed') : null,
        h('div', { class: 'mono muted small' }, d.mountpoint)),
      ...KEY_PROPERTIES.map((p) => {
        const v = d.properties[p];
        return h('td', { class: v === undefined ? 'muted nowrap' : `mono nowrap prop-${p}-${v}`, title: v === undefined ? 'not reported' : undefined },
          v === undefined ? '–' : formatProperty(p, v));
      }));
  });
  return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Mounted datasets and their properties' },
    h('table', { class: 'data datasets-table' }, h('thead', null, head), h('tbody', null, ...rows)));
}

function probeControls(state: ViewState, actions: Actions): HTMLElement {
  const ds = state.datasets.status === 'ok' ? state.datasets.datasets : [];
  const running = isProbeRunning(state);
  const canRun = state.connected && state.trusted && !running && !!state.selectedDataset;
  const picker = select('Dataset to probe', ds.map((d) => ({ value: d.name, label: d.name, description: d.mountpoint })),
    state.selectedDataset, actions.selectDataset, 'dataset-select');
  if (running || !state.trusted) picker.setAttribute('disabled', '');
  const run = button(running ? 'Probing…' : 'Run probe', {
    focusKey: 'run-probe', disabled: !canRun, onClick: actions.runProbe,
    title: state.trusted ? 'Run the experiment matrix in a scratch directory on this dataset' : 'Disabled: this workspace is not trusted',
  });
  const controls = h('div', { class: 'probe-controls' },
    h('label', { class: 'field-label', id: 'dataset-label' }, 'Probe dataset'), picker, run);
  if (running) {
    controls.append(button('Cancel', { secondary: true, focusKey: 'cancel-probe', title: 'Stop the probe (Escape)', onClick: actions.cancelProbe }));
  }
  const box = h('div', { class: 'probe' }, controls);
  if (state.trusted) {
    box.append(h('p', { class: 'muted small' },
      'The probe writes a few small files in a scratch directory inside the dataset\'s mountpoint, runs each experiment in a separate process with a timeout, and removes the directory afterwards. It needs write permission, not root.'));
  }
  box.append(probeStatus(state));
  return box;
}

function untrustedNotice(): HTMLElement {
  return h('p', { class: 'notice notice-warn untrusted-notice' },
    h('strong', null, 'Probing is off in this workspace. '),
    'The workspace is not trusted, and a probe runs zfs and zpool and writes scratch files on the dataset. '
    + 'Trust the workspace (Manage Workspace Trust) to enable it. Reading results and articles still works.');
}

function probeStatus(state: ViewState): HTMLElement {
  const p = state.probe;
  switch (p.status) {
    case 'running': {
      const pct = p.fraction === undefined ? '' : ` ${Math.round(p.fraction * 100)}%`;
      return h('div', { class: 'probe-status running' },
        h('p', { class: 'probe-title' }, h('strong', null, `Probing ${p.target}`), h('span', { class: 'pct' }, pct)),
        progressBar(`Probing ${p.target}`, p.fraction),
        h('p', { class: 'step' }, p.step));
    }
    case 'done':
      return h('p', { class: 'probe-status done' }, `Probe of ${p.target} finished. Results below.`);
    case 'cancelled':
      return h('p', { class: 'probe-status cancelled' }, `Probe of ${p.target} cancelled.`);
    case 'failed':
      return h('div', { class: 'notice notice-error probe-status', role: 'alert' },
        h('strong', null, `Probe of ${p.target} failed (${p.code}). `), tidyReason(p.message));
    default:
      return h('div', { class: 'probe-status idle' });
  }
}

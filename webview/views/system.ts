// The facts strip: OpenZFS (module and userland), kernel, page size and the switches that decide
// Direct I/O and cloning behaviour, as the last probe read them.
import type { ProbeReport } from '../../src/core/types';
import { h } from '../dom';
import { formatProperty, KEY_PROPERTIES } from '../model';

/** Module parameters worth showing first; any others in the report follow. */
const KEY_PARAMETERS = ['zfs_dio_enabled', 'zfs_dio_strict', 'zfs_bclone_enabled', 'zfs_bclone_wait_dirty', 'zfs_vdev_direct_write_verify'];

export function renderSystem(report: ProbeReport | null, noZfs: boolean): HTMLElement {
  // Without ZFS there is nothing to describe; the datasets card says why.
  if (!report && noZfs) return h('div', { hidden: true });
  const section = h('section', { class: 'card system', 'aria-labelledby': 'system-h' },
    h('h2', { id: 'system-h' }, 'Probed system'));
  if (!report) {
    section.append(h('p', { class: 'muted' },
      'A probe reads the OpenZFS module and userland versions, the kernel, the page size and the module parameters. Pick a dataset below and run one.'));
    return section;
  }
  const facts: Array<[string, string | null | undefined, string?]> = [
    ['OpenZFS module', report.zfs.kmod, 'from /sys/module/zfs/version: this decides the behaviour'],
    ['OpenZFS userland', report.zfs.userland, 'from zfs version'],
    ['Kernel', report.kernel],
    ['Page size', report.pageSize === null ? null : `${report.pageSize} bytes`, 'the unit O_DIRECT alignment is checked against'],
  ];
  if (report.statxDioAlign !== undefined) {
    facts.push(['STATX_DIOALIGN', report.statxDioAlign
      ? `memory ${report.statxDioAlign.memAlign}, offset ${report.statxDioAlign.offsetAlign}`
      : 'not reported', 'alignment the file system reports for Direct I/O (OpenZFS 2.3.2 and later)']);
  }
  // A saved report from another machine must say where, when and by which version it was made.
  if (report.host) facts.push(['Probed on', report.host, 'the host name of the machine the probe ran on']);
  if (report.createdAt) facts.push(['Probed at', report.createdAt, 'when the probe ran (UTC)']);
  if (report.toolVersion) facts.push(['zfs-dio version', report.toolVersion, 'the version of this tool that made the report']);
  const cloning = report.pool?.features?.['feature@block_cloning'] ?? report.pool?.features?.block_cloning;
  if (cloning) facts.push(['Block cloning (pool feature)', cloning]);
  section.append(factList(facts));

  if (report.dataset) {
    const props = report.dataset.properties;
    const ordered = [...KEY_PROPERTIES.filter((k) => k in props), ...Object.keys(props).filter((k) => !(KEY_PROPERTIES as readonly string[]).includes(k)).sort()];
    section.append(
      h('h3', null, `Dataset ${report.dataset.name}`),
      h('p', { class: 'muted mono' }, report.dataset.mountpoint),
      factList(ordered.map((k) => [k, formatProperty(k, props[k] ?? '')])),
    );
  }
  const params = report.moduleParameters;
  if (params && Object.keys(params).length > 0) {
    const names = [...KEY_PARAMETERS.filter((k) => k in params), ...Object.keys(params).filter((k) => !KEY_PARAMETERS.includes(k)).sort()];
    section.append(h('h3', null, 'Module parameters'),
      factList(names.map((k) => [k, params[k] ?? null, params[k] === null ? 'this OpenZFS version does not have this parameter' : undefined]),
        'not in this version'));
  }
  return section;
}

function factList(rows: Array<[string, string | null | undefined, string?]>, missing = 'unknown'): HTMLElement {
  const dl = h('dl', { class: 'facts' });
  for (const [label, value, hint] of rows) {
    const dd = h('dd', { class: value ? 'mono' : 'muted', title: hint }, value ?? missing);
    dl.append(h('div', { class: 'fact' }, h('dt', null, label), dd));
  }
  return dl;
}

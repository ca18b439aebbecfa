// Stands in for VS Code in the harness page: acquireVsCodeApi() plus a scripted host that answers
// the webview's messages from window.HARNESS (built by build.mjs). The scenario is ?s=<name>.
(function () {
  'use strict';
  const data = window.HARNESS;
  const params = new URLSearchParams(location.search);
  const name = params.get('s') || 'standard';
  const scenario = data.scenarios[name];
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const posted = [];
  window.__posted = posted;
  const key = `panel-state:${name}`;
  let saved = params.get('restore') === '1' ? JSON.parse(sessionStorage.getItem(key) || 'null') : null;
  const send = (m) => window.postMessage(JSON.parse(JSON.stringify(m)), '*');
  let timers = [];

  function handle(m) {
    switch (m.type) {
      case 'ready':
        // ?silent=1: the host never answers, so a test sees only what the webview restored itself.
        if (params.get('silent') !== '1') scenario.onReady.forEach(send);
        break;
      case 'openArticle': {
        const a = data.articles[m.id];
        const finding = scenario.finding && scenario.finding.ruleId === m.id ? scenario.finding : null;
        send(a ? { type: 'article', article: a, finding } : { type: 'articleError', id: m.id, message: 'not in the harness' });
        break;
      }
      case 'refreshDatasets': {
        const ds = scenario.onReady.find((x) => x.type === 'datasets');
        timers.push(setTimeout(() => send(ds), 400));
        break;
      }
      case 'runProbe': {
        const steps = ['Reading pool and module parameters', 'copy_file_range, recordsize-aligned', 'copy_file_range on O_DIRECT descriptors',
          'O_DIRECT pread, misaligned buffer', 'O_DIRECT pwrite, misaligned offset', 'Removing the scratch directory'];
        steps.forEach((step, i) => timers.push(setTimeout(() => send({ type: 'probe', probe: { status: 'running', target: m.target, step, fraction: (i + 1) / (steps.length + 1) } }), 500 * (i + 1))));
        timers.push(setTimeout(() => {
          if (scenario.probeReport) send({ type: 'report', report: { ...scenario.probeReport, dataset: { ...scenario.probeReport.dataset, name: m.target } } });
          send({ type: 'probe', probe: { status: 'done', target: m.target } });
        }, 500 * (steps.length + 1)));
        break;
      }
      case 'cancelProbe':
        timers.forEach(clearTimeout);
        timers = [];
        send({ type: 'probe', probe: { status: 'cancelled', target: 'tank/standard' } });
        break;
      default:
        break;
    }
  }

  window.acquireVsCodeApi = function () {
    return {
      postMessage(m) { posted.push(m); setTimeout(() => handle(m), 0); },
      getState() { return saved; },
      setState(s) { saved = s; sessionStorage.setItem(key, JSON.stringify(s)); },
    };
  };
})();

// Activation benchmark, one fresh process per measurement: time from require('dist/extension.js')
// to the end of activate() (awaited if it returns a promise), with a minimal `vscode` stand-in.
// It also counts WebAssembly compilations during activation: grammars must load lazily, so the
// answer must be 0. Prints one JSON line.
'use strict';
const path = require('node:path');

const extensionPath = path.resolve(process.argv[2] || path.join(__dirname, '..', 'dist', 'extension.js'));

require('./vscode-stub.cjs').install();

let wasmCompilations = 0;
for (const fn of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
  const original = WebAssembly[fn];
  WebAssembly[fn] = function (...args) { wasmCompilations++; return original.apply(this, args); };
}
const OriginalModule = WebAssembly.Module;
WebAssembly.Module = new Proxy(OriginalModule, { construct(t, args) { wasmCompilations++; return new t(...args); } });

const { stub } = require('./vscode-stub.cjs');
const context = {
  subscriptions: [], extensionPath: path.dirname(path.dirname(extensionPath)),
  extensionUri: stub('extensionUri'), globalState: { get: (_k, d) => d, update: async () => {}, keys: () => [], setKeysForSync: () => {} },
  workspaceState: { get: (_k, d) => d, update: async () => {}, keys: () => [] },
  asAbsolutePath: (p) => path.join(path.dirname(path.dirname(extensionPath)), p),
  storageUri: undefined, globalStorageUri: stub('globalStorageUri'), logUri: stub('logUri'),
  extensionMode: 1, environmentVariableCollection: stub('env'), secrets: stub('secrets'), extension: stub('extension'),
};

(async () => {
  const t0 = performance.now();
  const ext = require(extensionPath);
  const tRequired = performance.now();
  await ext.activate(context);
  const t1 = performance.now();
  // Let anything activate() scheduled without awaiting run, then check no grammar was compiled.
  await new Promise((r) => setTimeout(r, 50));
  process.stdout.write(JSON.stringify({ requireMs: tRequired - t0, activateMs: t1 - tRequired, totalMs: t1 - t0,
    wasmCompilations, subscriptions: context.subscriptions.length }) + '\n');
  try { ext.deactivate?.(); } catch { /* the stub may not satisfy deactivate */ }
  process.exit(0);
})().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });

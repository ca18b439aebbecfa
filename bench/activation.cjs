// Activation benchmark, one fresh process per measurement: time from require('dist/extension.js')
// to the end of activate() (awaited if it returns a promise), with the tests' `vscode` fake
// (test/support/vscode-fake.ts, bundled by bench/run.mjs). It also counts WebAssembly compilations
// during activation: grammars must load lazily, so the answer must be 0. Prints one JSON line.
'use strict';
const path = require('node:path');

const extensionPath = path.resolve(process.argv[2] || path.join(__dirname, '..', 'dist', 'extension.js'));
const fakePath = process.argv[3];
if (!fakePath) { process.stderr.write('usage: node bench/activation.cjs <dist/extension.js> <bundled vscode-fake.cjs> (bench/run.mjs passes both)\n'); process.exit(2); }
const { createStub, installStub, fakeExtensionContext } = require(path.resolve(fakePath));
installStub(createStub());

let wasmCompilations = 0;
for (const fn of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
  const original = WebAssembly[fn];
  WebAssembly[fn] = function (...args) { wasmCompilations++; return original.apply(this, args); };
}
const OriginalModule = WebAssembly.Module;
WebAssembly.Module = new Proxy(OriginalModule, { construct(t, args) { wasmCompilations++; return new t(...args); } });

const context = fakeExtensionContext(path.dirname(path.dirname(extensionPath)));

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

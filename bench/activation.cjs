// Activation benchmark, one fresh process per measurement: time from require('dist/extension.js')
// to the end of activate() (awaited if it returns a promise), with a minimal `vscode` stand-in.
// It also counts WebAssembly compilations during activation: grammars must load lazily, so the
// answer must be 0. Prints one JSON line.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const extensionPath = path.resolve(process.argv[2] || path.join(__dirname, '..', 'dist', 'extension.js'));

// A permissive stand-in for the `vscode` API: every property is callable and returns another stand-in,
// `get(key, default)` returns the default (configuration), iterables are empty, and promises resolve.
function stub(name) {
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined;                                     // not a thenable
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive) return () => `[vscode stub ${name}]`;
      if (prop === 'get') return (_key, fallback) => fallback;
      if (prop === 'length') return 0;
      if (prop === 'dispose') return () => {};
      return stub(`${name}.${String(prop)}`);
    },
    apply() { return stub(`${name}()`); },
    construct() { return stub(`new ${name}`); },
  });
}

/**
 * The bundle imports `vscode` through esbuild's __toESM, which copies the module's *own* properties,
 * so the top-level stand-in must list the API's names: taken from @types/vscode (the API the
 * extension compiles against).
 */
function apiNames() {
  try {
    const dts = require('node:fs').readFileSync(require.resolve('@types/vscode/index.d.ts', { paths: [path.join(__dirname, '..')] }), 'utf8');
    return [...new Set([...dts.matchAll(/^\texport (?:namespace|class|enum|const|let|function) (\w+)/gm)].map((m) => m[1]))];
  } catch {
    return ['window', 'workspace', 'languages', 'commands', 'extensions', 'env', 'Uri', 'Range', 'Position', 'Disposable', 'EventEmitter'];
  }
}

function moduleStub() {
  const names = apiNames();
  const target = function () {};
  const members = new Map(names.map((n) => [n, stub(`vscode.${n}`)]));
  return new Proxy(target, {
    get(t, prop) { return members.get(prop) ?? (prop === 'then' ? undefined : Reflect.get(t, prop)); },
    ownKeys(t) { return [...names, ...Reflect.ownKeys(t)]; },
    getOwnPropertyDescriptor(t, prop) {
      if (members.has(prop)) return { configurable: true, enumerable: true, writable: false, value: members.get(prop) };
      return Reflect.getOwnPropertyDescriptor(t, prop);
    },
  });
}

const vscodeStub = moduleStub();
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscodeStub;
  return originalLoad.call(this, request, parent, isMain);
};

let wasmCompilations = 0;
for (const fn of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
  const original = WebAssembly[fn];
  WebAssembly[fn] = function (...args) { wasmCompilations++; return original.apply(this, args); };
}
const OriginalModule = WebAssembly.Module;
WebAssembly.Module = new Proxy(OriginalModule, { construct(t, args) { wasmCompilations++; return new t(...args); } });

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

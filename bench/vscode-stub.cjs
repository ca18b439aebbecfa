// A minimal stand-in for the `vscode` module, for benchmarks that load the extension's bundles in
// plain Node (activation, re-analysis latency through the editor's own code).
'use strict';
const Module = require('node:module');
const path = require('node:path');

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

/** Makes `require('vscode')` return the stand-in in this process. Idempotent. */
function install() {
  if (Module._load.zfsDioStub) return;
  const vscodeStub = moduleStub();
  const originalLoad = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode') return vscodeStub;
    return originalLoad.call(this, request, parent, isMain);
  };
  Module._load.zfsDioStub = true;
}

module.exports = { install, stub };


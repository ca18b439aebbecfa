// Preloaded (node --require) by the parser-runtime tests: every WebAssembly memory gets a 64 MiB
// maximum instead of web-tree-sitter's 2 GiB, so that a few megabytes of source exhaust the parser
// runtime and abort it for real, as a 50 MB file does without the clamp.
'use strict';
const Original = WebAssembly.Memory;
const MAX_PAGES = 1024;   // 64 KiB pages
function ClampedMemory(descriptor) {
  return new Original({ ...descriptor, maximum: Math.min(descriptor.maximum ?? MAX_PAGES, MAX_PAGES) });
}
ClampedMemory.prototype = Original.prototype;
WebAssembly.Memory = ClampedMemory;

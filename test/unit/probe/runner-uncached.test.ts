// How the real runner tells uncached I/O (OpenZFS 2.4's answer to a misaligned O_DIRECT request)
// from cached ARC I/O: the runner module is imported by a real python3, and its decision is fed
// the ARC kstat values a module reports. What the real modules do is asserted by the VM suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const RUNNER = path.join(process.env.ZFS_DIO_ROOT!, 'src/core/probe/runner/zfs_dio_runner.py');

// Loads the runner as a module (no __pycache__ next to it: that directory is shipped), runs the
// named case on the JSON from stdin and prints the answer as JSON.
const HARNESS = String.raw`
import importlib.util, json, sys
sys.dont_write_bytecode = True
spec = importlib.util.spec_from_file_location("zfs_dio_runner", sys.argv[1])
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)
req = json.load(sys.stdin)
if req["call"] == "uncached_grew":
    print(json.dumps(runner.uncached_grew(req["before"], req["after"], req["length"])))
else:
    # arc_or_uncached on a Matrix whose re-read answers as told and is recorded
    class Matrix(runner.Matrix):
        def left_arc(self, path, off, length, params):
            self.rereads.append([path, off, length])
            return req["rereadLeftArc"]
    m = Matrix.__new__(Matrix)
    m.rereads = []
    params = {}
    io = m.arc_or_uncached("f", 131072, req["length"], req["before"], req["after"], params)
    print(json.dumps({"io": io, "params": params, "rereads": m.rereads}))
`;

function py(req: unknown): any {
  const r = spawnSync('python3', ['-c', HARNESS, RUNNER], { input: JSON.stringify(req), encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}
const state = (size: number) => ({ uncached_size: size, uncached_hits: 0 });

test('uncached_grew: the uncached state growing by the request right after the call means uncached', () => {
  assert.deepEqual(py({ call: 'uncached_grew', before: state(0), after: [state(131072)], length: 4097 }), [true, 131072]);
  assert.deepEqual(py({ call: 'uncached_grew', before: state(262144), after: [state(393216)], length: 131072 }), [true, 131072],
    'measured from the state before the call, not from zero: older buffers that never drained do not count');
});

test('uncached_grew: growth smaller than the request, none, or a shrinking state is not uncached', () => {
  assert.deepEqual(py({ call: 'uncached_grew', before: state(262144), after: [state(262144)], length: 4097 }), [false, 0],
    'a state that stays full (buffers of earlier requests) says nothing about this one');
  assert.deepEqual(py({ call: 'uncached_grew', before: state(0), after: [state(4096)], length: 131072 }), [false, 4096]);
  assert.deepEqual(py({ call: 'uncached_grew', before: state(131072), after: [state(0)], length: 4097 }), [false, -131072]);
  assert.deepEqual(py({ call: 'uncached_grew', before: state(0), after: [state(0)], length: 0 }), [false, 0], 'an empty request proves nothing');
});

test('uncached_grew: a write counts when the state grew by the time its txg synced', () => {
  assert.deepEqual(py({ call: 'uncached_grew', before: state(0), after: [state(0), state(131072)], length: 4097 }), [true, 131072]);
  assert.deepEqual(py({ call: 'uncached_grew', before: state(131072), after: [state(262144), state(131072)], length: 131072 }), [true, 131072],
    'a flush of older buffers after the call does not hide the growth seen right after it');
});

test('uncached_grew: no answer from a module without the uncached kstats', () => {
  assert.deepEqual(py({ call: 'uncached_grew', before: null, after: [null], length: 4097 }), [null, null]);
  assert.deepEqual(py({ call: 'uncached_grew', before: state(0), after: [null], length: 4097 }), [null, null]);
  assert.deepEqual(py({ call: 'uncached_grew', before: state(0), after: [state(131072), null], length: 4097 }), [null, null]);
});

test('arc_or_uncached: the kstat decides first, with its values recorded, and no re-read is needed', () => {
  const r = py({ call: 'arc_or_uncached', before: state(0), after: [state(0), state(131072)], length: 4097, rereadLeftArc: false });
  assert.equal(r.io, 'uncached');
  assert.deepEqual(r.rereads, []);
  assert.deepEqual(r.params, {
    arcUncachedSizeBefore: 0, arcUncachedSizeAfter: 0, arcUncachedSizeAfterSync: 131072, arcUncachedGrowth: 131072, uncachedEvidence: 'kstat',
  });
});

test('arc_or_uncached: without growth the re-read decides (a whole-block request leaves the uncached state at once)', () => {
  const gone = py({ call: 'arc_or_uncached', before: state(0), after: [state(0)], length: 131072, rereadLeftArc: true });
  assert.equal(gone.io, 'uncached');
  assert.deepEqual(gone.rereads, [['f', 131072, 131072]]);
  assert.equal(gone.params.uncachedEvidence, 'reread');
  assert.equal(gone.params.arcUncachedSizeAfterSync, undefined, 'a read has no sync');
  const cached = py({ call: 'arc_or_uncached', before: state(0), after: [state(0)], length: 131072, rereadLeftArc: false });
  assert.equal(cached.io, 'arc');
  assert.equal(cached.params.uncachedEvidence, undefined);
  assert.equal(cached.params.arcUncachedGrowth, 0);
});

test('arc_or_uncached: a module without the uncached kstats stays arc, with no re-read and nothing recorded', () => {
  const r = py({ call: 'arc_or_uncached', before: null, after: [null], length: 4097, rereadLeftArc: true });
  assert.deepEqual(r, { io: 'arc', params: {}, rereads: [] });
});

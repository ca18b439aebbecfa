// How the real runner tells uncached I/O (OpenZFS 2.4's answer to a misaligned O_DIRECT request)
// from cached ARC I/O: the runner module is imported by a real python3, and its decision is fed
// the ARC kstat values a module reports. What the real modules do is asserted by the VM suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runnerPlan } from '../../../src/core/probe/experiments/run-matrix';

const RUNNER = path.join(process.env.ZFS_DIO_ROOT!, 'src/core/probe/runner/zfs_dio_runner.py');

// Loads the runner as a module (no __pycache__ next to it: that directory is shipped), runs the
// named case on the JSON from stdin and prints the answer as JSON.
const HARNESS = String.raw`
import importlib.util, json, os, sys
sys.dont_write_bytecode = True
spec = importlib.util.spec_from_file_location("zfs_dio_runner", sys.argv[1])
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)
req = json.load(sys.stdin)

class Pool:
    """Answers the kstat reads with the states given, in order, and records every sync."""
    def __init__(self, uncached, iostats):
        self.uncached, self.iostats_seq, self.log = list(uncached), list(iostats), []
    def arc_uncached(self):
        self.log.append("arc_uncached")
        return self.uncached.pop(0) if self.uncached else None
    def iostats(self):
        self.log.append("iostats")
        return self.iostats_seq.pop(0) if self.iostats_seq else None
    def sync(self):
        self.log.append("sync")

class Scratch:
    """A real directory opened as a descriptor, as the runner's scratch is; every open is recorded."""
    def __init__(self, path):
        self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        self.opens = []
    def open(self, name, flags, mode=0o600):
        access = {os.O_RDONLY: "r", os.O_WRONLY: "w", os.O_RDWR: "rw"}[flags & os.O_ACCMODE]
        self.opens.append([name, access, bool(flags & os.O_DIRECT), bool(flags & os.O_EXCL)])
        return os.open(name, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=self.fd)

def matrix(pool, scratch):
    return runner.Matrix({"recordsize": req.get("recordsize", 131072)}, pool, scratch)

if req["call"] == "uncached_grew":
    print(json.dumps(runner.uncached_grew(req["before"], req["after"], req["length"])))
elif req["call"] == "left_arc":
    # the re-read on a real file of the scratch directory, with the kstats given
    import os, tempfile, time
    d = tempfile.mkdtemp()
    sc = Scratch(d)
    with open(os.path.join(d, "f"), "wb") as f:
        f.write(os.urandom(req["size"]))
    pool = Pool(req["uncached"], req["iostats"])
    params = {}
    t0 = time.monotonic()
    left = matrix(pool, sc).left_arc("f", req["offset"], req["length"], params)
    print(json.dumps({"left": left, "params": params, "seconds": time.monotonic() - t0,
                      "opens": sc.opens, "kstatReads": pool.log}))
elif req["call"] == "run":
    # the real matrix run of the experiments asked for, in a real directory, on a pool without
    # kstats (what a module before 2.3 or a non-ZFS file system looks like)
    import os, tempfile
    d = tempfile.mkdtemp()
    sc = Scratch(d)
    m = matrix(Pool([], []), sc)
    m.run(req["plan"])
    sizes = {n: os.path.getsize(os.path.join(d, n)) for n in sorted(os.listdir(d))}
    print(json.dumps({"results": m.results, "opens": sc.opens, "sizes": sizes}))
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

const io = (arcReadBytes: number) => ({ arc_read_count: 0, arc_read_bytes: arcReadBytes });
const hits = (size: number, h: number) => ({ uncached_size: size, uncached_hits: h });

test('left_arc: the re-read follows at once, even while the uncached state holds buffers, and its uncached hits are counted', () => {
  const r = py({
    call: 'left_arc', size: 3 * 131072, offset: 131072, length: 131072,
    uncached: [hits(262144, 7), hits(262144, 9)], iostats: [io(1000), io(1000 + 131072)],
  });
  assert.equal(r.left, true, 'the re-read reached the disks for the whole range: nothing stayed cached');
  assert.deepEqual(r.params, { rereadUncachedHits: 2, rereadArcReadBytes: 131072 });
  assert.ok(r.seconds < 1, `no wait for the uncached state to drain (took ${r.seconds} s)`);
  assert.deepEqual(r.kstatReads, ['arc_uncached', 'iostats', 'iostats', 'arc_uncached'],
    'the hits are read around the re-read, and nothing polls the state before it');
  assert.deepEqual(r.opens, [['f', 'r', false, false]], 'one buffered re-read of the file, through the scratch directory');
});

test('left_arc: a re-read served from the cache is not uncached, whatever the hits', () => {
  const r = py({
    call: 'left_arc', size: 2 * 131072, offset: 0, length: 4097,
    uncached: [hits(131072, 3), hits(131072, 4)], iostats: [io(5000), io(5000)],
  });
  assert.equal(r.left, false);
  assert.deepEqual(r.params, { rereadUncachedHits: 1, rereadArcReadBytes: 0 });
  const short = py({
    call: 'left_arc', size: 2 * 131072, offset: 0, length: 131072,
    uncached: [hits(0, 0), hits(0, 0)], iostats: [io(0), io(4096)],
  });
  assert.equal(short.left, false, 'fetching less than the range from the disks leaves part of it cached');
});

test('left_arc: without the pool counters there is no answer, and without the uncached kstats no hit count', () => {
  const r = py({ call: 'left_arc', size: 131072, offset: 0, length: 4096, uncached: [null, null], iostats: [null, null] });
  assert.deepEqual({ left: r.left, params: r.params }, { left: false, params: {} });
});

test('the O_DIRECT write cases start from a file whose records after the first were written with O_DIRECT', () => {
  const rs = 131072;
  const r = py({ call: 'run', recordsize: rs, plan: runnerPlan(['dio.write.aligned', 'dio.write.buf', 'dio.write.len', 'dio.write.off']) });
  const writes = r.opens.filter((o: [string, string, boolean, boolean]) => o[0] === 'dio-write');
  // created buffered (record 0: a new file's first block always goes through the ARC), then
  // records 1 to 5 through one write-only O_DIRECT descriptor, before the first case opens the
  // file for its O_DIRECT write
  assert.deepEqual(writes.slice(0, 3), [['dio-write', 'w', false, true], ['dio-write', 'w', true, false], ['dio-write', 'rw', true, false]]);
  assert.deepEqual(r.sizes, { 'dio-write': 6 * rs }, 'one file of six records, nothing else left in the directory');
  assert.deepEqual(r.results.map((e: any) => e.id), ['dio.write.aligned', 'dio.write.buf', 'dio.write.len', 'dio.write.off']);
  for (const e of r.results) {
    // where O_DIRECT works (ext4, ZFS) every case writes; a file system that refuses it
    // (tmpfs) gives EINVAL, and the file was then written buffered instead
    if (e.result === 'ok') assert.equal(e.dataOk, true, `${e.id}: the written bytes read back`);
    else assert.equal(e.errno, 'EINVAL', `${e.id}: ${JSON.stringify(e)}`);
  }
});

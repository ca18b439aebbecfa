// Worker thread for whole-tree scans (bundled to dist/scan-worker.js). It receives batches of
// files, analyses each one with the same code as the in-process path, and sends back only
// sites, findings and notes: never file text, so the main thread's memory stays small.
import { parentPort, workerData } from 'node:worker_threads';
import { parserRuntimeFailure } from './parse';
import { processFile, takeThreadReads, type FileOutcome, type WorkerInit, type WorkerRequest, type WorkerResponse } from './scan';

const { config } = workerData as WorkerInit;
if (!parentPort) throw new Error('scan-worker.js must run as a worker thread');
const port = parentPort;

// Batches are processed strictly one after another: the parser instances are per thread. Once the
// parser runtime has failed, nothing more is analysed here: the rest goes back to the pool, which
// starts a new worker (with a runtime of its own) for it.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  queue = queue.then(async () => {
    const outcomes: FileOutcome[] = [];
    const mayParse = new Set(request.parseLanguages);
    let i = 0;
    for (; i < request.tasks.length && !parserRuntimeFailure(); i++) {
      outcomes.push(await processFile(request.tasks[i]!, config, mayParse));
    }
    const broken = parserRuntimeFailure();
    const reads = config.recordReads ? takeThreadReads() : [];
    port.postMessage({ id: request.id, outcomes, ...(reads.length ? { reads } : {}),
      ...(broken === undefined ? {} : { runtimeBroken: broken, unprocessed: request.tasks.slice(i) }) } satisfies WorkerResponse);
  });
});

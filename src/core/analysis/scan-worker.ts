// Worker thread for whole-tree scans (bundled to dist/scan-worker.js). It receives batches of
// files, analyses each one with the same code as the in-process path, and sends back only
// sites, findings and notes: never file text, so the main thread's memory stays small.
import { parentPort, workerData } from 'node:worker_threads';
import { processFile, type FileOutcome, type WorkerInit, type WorkerRequest, type WorkerResponse } from './scan';

const { config } = workerData as WorkerInit;
if (!parentPort) throw new Error('scan-worker.js must run as a worker thread');
const port = parentPort;

// Batches are processed strictly one after another: the parser instances are per thread.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  queue = queue.then(async () => {
    const outcomes: FileOutcome[] = [];
    const mayParse = new Set(request.parseLanguages);
    for (const task of request.tasks) {
      outcomes.push(await processFile(task, config, mayParse));
    }
    port.postMessage({ id: request.id, outcomes } satisfies WorkerResponse);
  });
});

// One in-process consensus run in a worker thread of its own: a fresh heap per run, so a run's
// figure does not depend on the garbage earlier runs left behind in the bench's process.
import { parentPort, workerData } from 'node:worker_threads';
import { type InProcessOptions, inProcess } from './inProcess.js';

parentPort?.postMessage(await inProcess(workerData as InProcessOptions));

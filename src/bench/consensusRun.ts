// One in-process consensus run in a worker thread of its own: a fresh heap per run, so a run's
// figure does not depend on the garbage earlier runs left behind in the bench's process.
import { parentPort, workerData } from 'node:worker_threads';
import { inProcess, type VerifierName } from './consensus.js';

const { n, fastPath, blocks, verifier, persist } = workerData as { n: number; fastPath: boolean; blocks: number; verifier: VerifierName; persist: boolean };
parentPort?.postMessage(inProcess(n, fastPath, blocks, verifier, persist));

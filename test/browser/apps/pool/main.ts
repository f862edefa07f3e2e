// An app page that hashes on the Web Worker pool, as a user writes it: built by Vite in
// test/browser/pool.test.ts with no worker configuration (the worker script is in the package),
// and once more with the worker as a file of the app (`?url`), as a strict CSP needs.
import { init, sha256Many } from 'swarmguard/hash';
import { merkleRoot } from 'swarmguard/merkle';
import { createPool } from 'swarmguard/pool';
import workerUrl from 'swarmguard/pool/worker.js?url';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

async function hashOnPool(fromFile: boolean) {
  await init();
  const pool = createPool({ threads: 2, inlineBelow: 0, ...(fromFile ? { workerUrl } : {}) });
  try {
    const leaves = Array.from({ length: 50_000 }, (_, i) => `leaf ${i}`);
    const digests = await pool.sha256Many(leaves);
    const root = await pool.merkleRoot(leaves);
    return {
      buffers: pool.buffers,
      shards: pool.stats.shards,
      sha256Many: digests.map(hex).join() === sha256Many(leaves).map(hex).join(),
      merkleRoot: hex(root) === hex(merkleRoot(leaves)),
    };
  } finally {
    await pool.close();
  }
}

Object.assign(window, { __page: { hashOnPool, workerUrl }, __ready: true });

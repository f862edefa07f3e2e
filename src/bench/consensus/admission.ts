import { Replica, wasmEd25519Verifier } from '../../consensus/index.js';
import { nodeEd25519Signer, nodeSha256 } from '../../node/index.js';
import { ed25519 } from '../../sig/index.js';
import { type SignatureItem, signatureItem } from '../../tx/index.js';
import { median } from '../harness.js';
import { BLOCK_TXS, CHAIN_ID } from './inProcess.js';

/**
 * The ceiling signature verification puts on throughput: `ed25519.verifyBatch` of one block's
 * transactions (1,000 distinct keys) per second on one thread, median of `rounds`.
 */
export function verifyRate(block: Uint8Array[], rounds: number): number {
  const items = block.map((bytes) => signatureItem(bytes) as SignatureItem);
  ed25519.verifyBatch(items);
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    ed25519.verifyBatch(items);
    rates.push(items.length / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

/**
 * Microseconds per transaction a replica spends admitting a block's worth of client
 * transactions: decoding, nonce checks, ids, pool — with the signatures verified in the step
 * (WASM batch), and with `verified: true` (the host verified them elsewhere). Median of `rounds`,
 * each on a fresh replica.
 */
export function admissionCost(blocks: Uint8Array[][], rounds: number): { verifying: number; preverified: number } {
  const signers = [0, 1, 2, 3].map((i) => nodeEd25519Signer(nodeSha256(new TextEncoder().encode(`bench/${i}`))));
  const fresh = () =>
    // Replica 1 is a backup: admission only, no proposal in the timed step.
    new Replica({
      chainId: CHAIN_ID,
      id: 1,
      validators: signers.map((s) => s.publicKey),
      signer: signers[1],
      verifier: wasmEd25519Verifier(),
      hash: nodeSha256,
      application: { execute: () => new Uint8Array(0), snapshot: () => new Uint8Array(0), restore: () => undefined },
      batchSize: BLOCK_TXS,
    });
  const time = (verified: boolean) => {
    const samples: number[] = [];
    for (let r = 0; r <= rounds; r++) {
      const replica = fresh();
      const requests = blocks[r % blocks.length];
      const t0 = performance.now();
      replica.step({ type: 'requests', requests, verified });
      if (r > 0) samples.push(((performance.now() - t0) * 1000) / requests.length); // round 0 warms up
    }
    return median(samples);
  };
  // A first pass of each warms the JIT and the WASM instance up.
  time(false);
  time(true);
  return { verifying: time(false), preverified: time(true) };
}

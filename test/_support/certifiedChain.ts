import type { CommittedBlock, ValidatorSet } from '../../src/consensus/index.js';
import { request, TEST_CHAIN } from './requests.js';
import { TestNetwork } from './testNetwork.js';

// Real certified chains for the light client's tests: four replicas with real signatures commit
// `blocks` blocks of one transaction each (transaction k by `client` at nonce k).

export interface CertifiedChain {
  net: TestNetwork;
  set: ValidatorSet;
  /** Replica 0's commits, by height from 1. */
  blocks: CommittedBlock[];
  /** The transaction of each block, in order. */
  txs: Uint8Array[];
}

export function certifiedChain(blocks: number, options: { tag?: string; chainId?: string; client?: string } = {}): CertifiedChain {
  const chainId = options.chainId ?? TEST_CHAIN;
  const net = new TestNetwork(4, { chainId }, options.tag);
  const txs: Uint8Array[] = [];
  for (let nonce = 1; nonce <= blocks; nonce++) {
    const tx = request(options.client ?? 'light', nonce, `k${nonce}`, `v${nonce}`, chainId);
    txs.push(tx);
    net.submit(tx);
    net.run(100);
  }
  const committed = net.commits[0].slice(0, blocks);
  if (committed.length !== blocks || committed.some((c, i) => c.height !== i + 1 || c.block.txs.length !== 1)) {
    throw new Error(`certifiedChain: replica 0 committed ${committed.map((c) => `${c.height}:${c.block.txs.length}`).join(' ')}`);
  }
  return { net, set: { chainId, validators: net.validators }, blocks: committed, txs };
}

import { type CommittedBlock, senderKey } from '../consensus/index.js';
import { ed25519 } from '../sig/index.js';
import { parseTransaction, signTransaction } from '../tx/index.js';
import type { TxAttack } from './faults.js';
import { kvSet } from '../kv/index.js';
import type { Prng } from './prng.js';
import { SIM_CHAIN_ID } from './workload.js';

/** A chain the simulated network is not: transactions for it must be refused here however well signed. */
const OTHER_CHAIN = `${SIM_CHAIN_ID}-other`;
/** Committed transactions kept to replay. */
const KEEP_COMMITTED = 64;
const SIGNATURE = 64;

/**
 * The transactions a Byzantine primary puts in a block instead of those its honest core chose.
 * It holds its own account key and no client's: whatever it makes in an honest client's name
 * cannot carry that client's signature, and whatever it signs itself names its own account.
 */
export class TxTamperer {
  private readonly key: { secretKey: Uint8Array; publicKey: Uint8Array };
  private readonly committed: Uint8Array[] = [];

  constructor(private readonly rng: Prng) {
    this.key = ed25519.generateKeyPair(rng.bytes(32));
  }

  /** Its own replica committed `blocks`: their transactions are what `replay-txs` replays. */
  observe(blocks: readonly CommittedBlock[]): void {
    for (const c of blocks) {
      for (const tx of c.block.txs) {
        if (this.committed.length < KEEP_COMMITTED) this.committed.push(tx);
        else this.committed[this.rng.int(KEEP_COMMITTED)] = tx;
      }
    }
  }

  /** `txs` (a block's, in order) with `attack` applied, or null when the block offers nothing to apply it to. */
  tamper(attack: TxAttack, txs: readonly Uint8Array[]): Uint8Array[] | null {
    if (txs.length === 0) return null;
    const out = [...txs];
    const i = this.rng.int(out.length);
    switch (attack) {
      case 'forge-txs':
        out[i] = this.forge(out[i]);
        return out;
      case 'replay-txs':
        // Before anything committed, a transaction of the block itself, twice.
        if (this.committed.length && this.rng.chance(0.5)) out.splice(this.rng.int(out.length + 1), 0, this.rng.pick(this.committed));
        else out.splice(i + 1 + this.rng.int(out.length - i), 0, out[i]);
        return out;
      case 'reorder-txs':
        return this.reorder(out);
      case 'invalid-txs':
        out[i] = this.invalid(out[i]);
        return out;
    }
  }

  /** A new transaction at the same (sender, nonce) as `bytes`, signed with the wrong key or carrying random signature bytes. */
  private forge(bytes: Uint8Array): Uint8Array {
    const { sender, nonce } = parseTransaction(bytes, 2 ** 32);
    const payload = kvSet(`forged-${this.rng.int(4)}`, 'mallory');
    const forged = signTransaction({ chainId: SIM_CHAIN_ID, nonce, payload }, { secretKey: this.key.secretKey, publicKey: sender }).bytes;
    if (this.rng.chance(0.5)) forged.set(this.rng.bytes(SIGNATURE), forged.length - SIGNATURE);
    return forged;
  }

  /** The positions of one sender's transactions (two or more of them) get its transactions in reverse order; null if no sender has two. */
  private reorder(txs: Uint8Array[]): Uint8Array[] | null {
    const bySender = new Map<string, number[]>();
    for (let k = 0; k < txs.length; k++) {
      const key = senderKey(parseTransaction(txs[k], 2 ** 32).sender);
      const at = bySender.get(key);
      if (at) at.push(k);
      else bySender.set(key, [k]);
    }
    const runs = [...bySender.values()].filter((at) => at.length > 1);
    if (runs.length === 0) return null;
    const at = this.rng.pick(runs);
    const reversed = at.map((k) => txs[k]).reverse();
    at.forEach((k, j) => (txs[k] = reversed[j]));
    return txs;
  }

  /** `bytes` with one signature bit flipped, or a transaction of its own account, properly signed, for another chain. */
  private invalid(bytes: Uint8Array): Uint8Array {
    if (this.rng.chance(0.5)) {
      const bad = bytes.slice();
      bad[bad.length - 1 - this.rng.int(SIGNATURE)] ^= 1 << this.rng.int(8);
      return bad;
    }
    const { nonce, payload } = parseTransaction(bytes, 2 ** 32);
    return signTransaction({ chainId: OTHER_CHAIN, nonce, payload }, this.key).bytes;
  }
}

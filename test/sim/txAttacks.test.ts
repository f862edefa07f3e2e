import { describe, expect, it } from 'vitest';
import { type CommittedBlock, MessageType, senderKey, signVote } from '../../src/consensus/index.js';
import { nodeEd25519Signer, nodeSha256 } from '../../src/node/index.js';
import { InvariantChecker, simulate, TX_ATTACKS } from '../../src/sim/index.js';
import { Prng } from '../../src/sim/prng.js';
import { TxTamperer } from '../../src/sim/txAttacks.js';
import { SIM_CHAIN_ID } from '../../src/sim/workload.js';
import { parseTransaction, transactionIds, verifyTransactions } from '../../src/tx/index.js';
import { request } from '../_support/requests.js';

const tx = (client: string, nonce: number) => request(client, nonce, `k${nonce}`, `v${nonce}`, SIM_CHAIN_ID);
const ids = (txs: Uint8Array[]) => transactionIds(txs).map((id) => Buffer.from(id).toString('hex'));

describe('Byzantine primary: tampered transactions, forced (seed 2 makes replica 0, the first primary, Byzantine)', () => {
  for (const attack of TX_ATTACKS) {
    it(`${attack}: the tampered block reaches every honest replica, none votes for it, they leave the view and keep committing`, () => {
      const r = simulate({ seed: 2, faults: [attack], byzantine: 1, duration: 4 });
      expect(r.byzantineIds).toEqual([0]);
      expect(r.violations).toEqual([]);
      const fired = r.txAttacks[attack] as { proposed: number; delivered: number };
      expect(fired.proposed).toBeGreaterThanOrEqual(1);
      expect(fired.delivered).toBeGreaterThanOrEqual(3);
      for (const i of [1, 2, 3]) {
        expect(r.views[i]).toBeGreaterThanOrEqual(1);
        expect(r.status[i]?.dropped.invalid).toBeGreaterThanOrEqual(1);
      }
      expect(r.committedBlocks).toBeGreaterThan(50);
      expect(r.committedTxs).toBeGreaterThan(100);
    });
  }
});

describe('Byzantine primary: tampered transactions in swarm runs', () => {
  it('all four with network faults: a view change away from an honest primary hands the view to the Byzantine one, which attacks', () => {
    const r = simulate({ seed: 3, faults: ['drop', 'partition', 'crash', ...TX_ATTACKS], duration: 5 });
    expect(r.byzantineIds).toEqual([1]);
    expect(r.violations).toEqual([]);
    const fired = Object.values(r.txAttacks).filter((a) => a.proposed > 0);
    expect(fired.length).toBeGreaterThanOrEqual(1);
    expect(fired[0].delivered).toBeGreaterThanOrEqual(3);
    expect(r.views.every((v) => v >= 2)).toBe(true);
    expect(r.committedBlocks).toBeGreaterThan(20);
  });

  it('n = 7: two Byzantine primaries in a row (views 0 and 1) each propose a tampered block, and the honest five move on to view 2', () => {
    // One slot in flight: pipelined, a Byzantine primary tampers with a block per slot it proposes.
    const r = simulate({ seed: 8, replicas: 7, faults: ['delay', 'isolate', ...TX_ATTACKS], duration: 5, replica: { pipeline: 1 } });
    expect(r.byzantineIds).toEqual([0, 1]);
    expect(r.violations).toEqual([]);
    expect(Object.values(r.txAttacks).reduce((sum, a) => sum + a.proposed, 0)).toBe(2);
    // Each view is left on f+1 = 3 complaints, so each tampered block reached at least three honest replicas.
    expect(Object.values(r.txAttacks).reduce((sum, a) => sum + a.delivered, 0)).toBeGreaterThanOrEqual(2 * 3);
    expect(r.views.slice(2).every((v) => v === 2)).toBe(true);
    expect(r.committedBlocks).toBeGreaterThan(20);
  });

  it('reports the attacks active in the run, and only those', () => {
    expect(Object.keys(simulate({ seed: 3, faults: ['forge-txs', 'drop'], duration: 0.5 }).txAttacks)).toEqual(['forge-txs']);
    expect(simulate({ seed: 3, faults: ['drop'], duration: 0.5 }).txAttacks).toEqual({});
  });
});

describe('InvariantChecker: tampered blocks', () => {
  it('reports an honest replica voting for a block a Byzantine primary tampered with, and only that', () => {
    const signer = nodeEd25519Signer(nodeSha256(new Uint8Array([1])));
    const tampered = new Uint8Array(32).fill(7);
    const c = new InvariantChecker(nodeSha256, new Uint8Array(32), new Set([0]));
    c.tampered(tampered, 'reorder-txs');
    c.sent(1, signVote(signer, MessageType.Prepare, 1, 0, 5, new Uint8Array(32).fill(8)));
    expect(c.violations).toEqual([]);
    c.sent(1, signVote(signer, MessageType.Commit, 1, 0, 5, tampered));
    expect(c.violations).toEqual([expect.stringMatching(/^tampered block voted: honest replica 1 sent COMMIT \(view 0, seq 5\) for a reorder-txs block/)]);
  });
});

describe('TxTamperer', () => {
  const block = [tx('alice', 1), tx('bob', 1), tx('alice', 2), tx('carol', 1), tx('alice', 3)];

  it('forge-txs: a new transaction at the same sender and nonce whose signature does not verify', () => {
    const t = new TxTamperer(new Prng(1));
    for (let k = 0; k < 20; k++) {
      const out = t.tamper('forge-txs', block) as Uint8Array[];
      expect(out).toHaveLength(block.length);
      const changed = out.findIndex((b, i) => b !== block[i]);
      const forged = parseTransaction(out[changed], 1 << 16, SIM_CHAIN_ID);
      const original = parseTransaction(block[changed], 1 << 16);
      expect([senderKey(forged.sender), forged.nonce]).toEqual([senderKey(original.sender), original.nonce]);
      expect(verifyTransactions([forged])).toEqual([false]);
    }
  });

  it('replay-txs: one of the block twice before anything committed, then also a committed one', () => {
    const t = new TxTamperer(new Prng(2));
    const once = ids(t.tamper('replay-txs', block) as Uint8Array[]);
    expect(once).toHaveLength(block.length + 1);
    expect(new Set(once).size).toBe(block.length);
    const old = [tx('dave', 1), tx('dave', 2)];
    t.observe([{ block: { txs: old } } as unknown as CommittedBlock]);
    let replayed = 0;
    for (let k = 0; k < 20; k++) if (ids(t.tamper('replay-txs', block) as Uint8Array[]).some((id) => ids(old).includes(id))) replayed++;
    expect(replayed).toBeGreaterThan(0);
    expect(replayed).toBeLessThan(20);
  });

  it("reorder-txs: one sender's transactions in its positions, nonces descending; null when no sender has two", () => {
    const t = new TxTamperer(new Prng(3));
    const out = t.tamper('reorder-txs', block) as Uint8Array[];
    expect(out.map((b) => parseTransaction(b, 1 << 16).nonce)).toEqual([3, 1, 2, 1, 1]);
    expect(t.tamper('reorder-txs', [tx('alice', 1), tx('bob', 1)])).toBeNull();
  });

  it('invalid-txs: a flipped signature bit, or a well-signed transaction for another chain', () => {
    const t = new TxTamperer(new Prng(4));
    const seen = new Set<string>();
    for (let k = 0; k < 20; k++) {
      const out = t.tamper('invalid-txs', block) as Uint8Array[];
      const bad = parseTransaction(out[out.findIndex((b, i) => b !== block[i])], 1 << 16);
      if (bad.chainId === SIM_CHAIN_ID) {
        expect(verifyTransactions([bad])).toEqual([false]);
        seen.add('bad signature');
      } else {
        expect(verifyTransactions([bad])).toEqual([true]);
        seen.add('other chain');
      }
    }
    expect([...seen].sort()).toEqual(['bad signature', 'other chain']);
  });

  it('offers nothing for an empty block', () => {
    const t = new TxTamperer(new Prng(5));
    for (const attack of TX_ATTACKS) expect(t.tamper(attack, [])).toBeNull();
  });
});

describe('Byzantine primary: liveness attacks in swarm runs', () => {
  it('censor: a primary proposing only empty blocks is replaced, and the requests it left out execute', () => {
    const r = simulate({ seed: 2, faults: ['censor', 'delay', 'drop'], duration: 5 });
    expect(r.byzantineIds).toEqual([0]);
    expect(r.violations).toEqual([]);
    expect(r.views.every((v) => v >= 1)).toBe(true);
    expect(r.committedTxs).toBeGreaterThan(100);
  });

  it('withhold-commit: a primary that leaves the next primary out and keeps its COMMITs stalls nothing for good', () => {
    const r = simulate({ seed: 2, faults: ['withhold-commit', 'delay', 'drop'], duration: 5 });
    expect(r.byzantineIds).toEqual([0]);
    expect(r.violations).toEqual([]);
    expect(r.committedTxs).toBeGreaterThan(100);
  });

  it('partial-send: clients that leave a replica out (often the primary) are still served', () => {
    const r = simulate({ seed: 2, faults: ['partial-send', 'delay', 'drop'], duration: 5 });
    expect(r.violations).toEqual([]);
    expect(r.committedTxs).toBeGreaterThan(100);
  });
});

describe('Byzantine validator: floods, forged replies; asymmetric links and clocks', () => {
  it('flood: validly signed frames of every kind land on the bounds, are dropped and counted, and nothing breaks', () => {
    const r = simulate({ seed: 2, faults: ['flood', 'delay', 'drop'], duration: 5 });
    expect(r.violations).toEqual([]);
    const dropped = (reason: string) => r.status.reduce((sum, s, i) => (s && !r.byzantineIds.includes(i) ? sum + s.dropped[reason] : sum), 0);
    for (const reason of ['outOfWindow', 'invalid', 'stale']) expect(dropped(reason), reason).toBeGreaterThan(50);
    expect(r.committedTxs).toBeGreaterThan(100);
  });

  it('forge-replies: clients accept only what honest replicas executed', () => {
    const r = simulate({ seed: 2, faults: ['forge-replies', 'drop'], duration: 5 });
    expect(r.violations).toEqual([]);
    expect(r.committedTxs).toBeGreaterThan(100);
  });

  it('one-way cuts and skewed clocks: liveness holds within the bound', () => {
    for (const fault of ['one-way', 'clock-skew'] as const) {
      const r = simulate({ seed: 2, faults: [fault, 'delay'], duration: 5 });
      expect(r.violations, fault).toEqual([]);
      expect(r.committedTxs, fault).toBeGreaterThan(100);
    }
  });
});

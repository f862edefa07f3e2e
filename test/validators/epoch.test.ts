import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { MessageType } from '../../src/consensus/index.js';
import { ArgumentRangeError, ArgumentTypeError } from '../../src/check/index.js';
import { auditSupply, pendingRewards, proveEpochSeed, stakingPayload, type ValidatorStateMachine, verifyEpochSeed } from '../../src/validators/index.js';
import { Chain, digestOf, genesis, keyOf, type Party, registerPayload, validatorOf, vote } from '../_support/validators.js';

/** What `withdraw` would pay `p` now: settled rewards and its delegations' accrued ones. */
function rewardsOf(m: ValidatorStateMachine, p: Party): bigint {
  return pendingRewards(m.state, p.account.publicKey);
}
function balanceOf(m: ValidatorStateMachine, p: Party): bigint {
  return m.state.balances.get(keyOf(p.account.publicKey)) ?? 0n;
}
/** A slow-path commit certificate for `height` signed by `signers`. */
function certificate(m: ValidatorStateMachine, signers: Party[], height: number, view = 0): Uint8Array[] {
  return signers.map((p) => vote(m, p, MessageType.Commit, view, height, digestOf(`block ${height}`)));
}

describe('validator state machine: epochs', () => {
  it('mints the epoch reward by 0.6 · reputation share + 0.4 · stake share, commission first, then pro rata to delegators', () => {
    const { genesis: g, parties } = genesis(4, 2, { epochBlocks: 8 });
    const chain = new Chain(g);
    const m = chain.machine;
    const [v0, v1, , , alice] = parties;
    chain.send(alice, stakingPayload.delegate(v0.account.publicKey, 1_000n));
    chain.endEpoch();
    // Equal reputations; v0 holds 2,000 of 5,000 bonded: 1e6 · (0.6 · 1/4 + 0.4 · 2/5) = 310,000.
    expect(rewardsOf(m, v0)).toBe(31_000n + 139_500n);
    expect(rewardsOf(m, alice)).toBe(139_500n);
    expect(rewardsOf(m, v1)).toBe(230_000n);
    // Nothing is settled at the epoch end: v0's 310,000 waits in its pool, 31,000 of it as commission.
    expect(m.state.rewards.size).toBe(0);
    expect(validatorOf(m, v0)).toMatchObject({ outstandingRewards: 310_000n, accruedCommission: 31_000n });
    const audit = auditSupply(m.state);
    expect(audit.minted).toBe(1_000_000n);
    expect(audit.outstanding).toBe(1_000_000n);
    expect(audit.held).toBe(audit.expected);
    expect(chain.send(alice, stakingPayload.withdraw())).toBeNull();
    expect(balanceOf(m, alice)).toBe(9_000n + 139_500n);
    expect(chain.send(v0, stakingPayload.withdraw())).toBeNull();
    expect(balanceOf(m, v0)).toBe(10_000n + 31_000n + 139_500n);
    expect(validatorOf(m, v0)).toMatchObject({ outstandingRewards: 0n, accruedCommission: 0n });
    expect(chain.send(alice, stakingPayload.withdraw())).toBe('no-rewards');
  });

  it('pays each delegator on the shares it held in each epoch, settling lazily: within a token per epoch of paying every delegation at every epoch end', () => {
    const { genesis: g, parties } = genesis(4, 3, { epochBlocks: 8 });
    const chain = new Chain(g);
    const m = chain.machine;
    const [v0, , , , alice, bob, carol] = parties;
    const delegators = [v0, alice, bob, carol];
    const to = v0.account.publicKey;
    chain.send(alice, stakingPayload.delegate(to, 1_000n));
    chain.send(bob, stakingPayload.delegate(to, 333n));
    chain.send(carol, stakingPayload.delegate(to, 7n));
    // The old rule, as a reference: each epoch end pays ⌊part · shares / total shares⌋ to every delegation.
    const eager = delegators.map(() => 0n);
    let credited = 0n;
    const endEpoch = () => {
      const v = validatorOf(m, v0);
      // The delegators' part of the pool (the rest is commission).
      const forDelegators = () => validatorOf(m, v0).outstandingRewards - validatorOf(m, v0).accruedCommission;
      const pool = forDelegators();
      const shares = delegators.map((p) => m.state.delegations.get(keyOf(p.account.publicKey) + keyOf(to))?.shares ?? 0n);
      chain.endEpoch();
      const part = forDelegators() - pool;
      credited += part;
      shares.forEach((sh, i) => {
        eager[i] += (part * sh) / v.shares;
      });
    };
    endEpoch();
    endEpoch();
    // Shares change: bob's and carol's delegations are settled on the shares they had.
    expect(m.state.rewards.get(keyOf(bob.account.publicKey))).toBeUndefined();
    expect(chain.send(bob, stakingPayload.delegate(to, 500n))).toBeNull();
    // Two epochs' fractions of a token add up lazily; paid epoch by epoch each was rounded down.
    expect([m.state.rewards.get(keyOf(bob.account.publicKey)), eager[2]]).toEqual([83_321n, 83_320n]);
    expect(chain.send(carol, stakingPayload.unbond(to, 3n))).toBeNull();
    endEpoch();
    endEpoch();
    const commission = validatorOf(m, v0).accruedCommission;
    const withdrawn = delegators.map((p, i) => {
      const before = balanceOf(m, p);
      expect(chain.send(p, stakingPayload.withdraw())).toBeNull();
      return balanceOf(m, p) - before - (i === 0 ? commission : 0n);
    });
    // Lazy (what was withdrawn) and eager figures, each delegator: they differ by rounding dust only.
    expect({ withdrawn, eager }).toEqual({ withdrawn: [468_737n, 468_737n, 265_349n, 2_625n], eager: [468_734n, 468_734n, 265_348n, 2_624n] });
    withdrawn.forEach((w, i) => expect(w - eager[i] >= -1n && w - eager[i] < 4n, `delegator ${i}`).toBe(true));
    // What no one could withdraw (2 tokens of the 1,205,450 credited) stays in the pool, and the books still balance.
    expect(validatorOf(m, v0).accruedCommission).toBe(0n);
    const dust = validatorOf(m, v0).outstandingRewards;
    expect(dust).toBe(2n);
    expect(credited).toBe(1_205_450n);
    expect(withdrawn.reduce((a, b) => a + b) + dust).toBe(credited);
    const audit = auditSupply(m.state);
    expect(audit.held).toBe(audit.expected);
  });

  it('pendingRewards refuses what is not a state or an account key', () => {
    const { genesis: g, parties } = genesis();
    const m = new Chain(g).machine;
    expect(() => pendingRewards({} as never, parties[0].account.publicKey)).toThrow(ArgumentTypeError);
    expect(() => pendingRewards({} as never, parties[0].account.publicKey)).toThrow(/^pendingRewards: state must be a ValidatorState, got/);
    expect(() => pendingRewards(m.state, new Uint8Array(31))).toThrow(ArgumentRangeError);
    expect(() => pendingRewards(m.state, new Uint8Array(31))).toThrow('pendingRewards: account must be 32 bytes, got 31');
    expect(() => pendingRewards(m.state, 'ab' as never)).toThrow(ArgumentTypeError);
  });

  it('measures the committee from recorded commits: reputation EMA, decay outside it, downtime slashing', () => {
    const { genesis: g, parties } = genesis(4, 1, { epochBlocks: 8, minRecordedPerEpoch: 2 });
    const chain = new Chain(g);
    const m = chain.machine;
    const [v0, v1, v2, v3, outsider] = parties;
    expect(chain.send(outsider, registerPayload(outsider))).toBeNull(); // height 1
    expect(chain.send(v0, stakingPayload.recordCommit(1, certificate(m, [v0, v1, v2], 1)))).toBeNull();
    expect(chain.send(v1, stakingPayload.recordCommit(2, certificate(m, [v2, v1, v0], 2)))).toBeNull();
    expect(chain.send(v1, stakingPayload.recordCommit(2, certificate(m, [v2, v1, v0], 2)))).toBe('record-duplicate');
    chain.endEpoch();
    // v0 signed both and proposed both (view 0's primary): performance 1.0 → 0.9 · 0.5 + 0.1 · 1.0.
    expect(validatorOf(m, v0).reputation).toBe(550_000);
    // v1 signed both, proposed none: 0.75 · votes → 0.9 · 0.5 + 0.1 · 0.75.
    expect(validatorOf(m, v1).reputation).toBe(525_000);
    expect(validatorOf(m, v3).reputation).toBe(450_000);
    // Outside the committee the reputation halves every 8 epochs: one epoch is 2^(−1/8).
    expect(Math.abs(validatorOf(m, outsider).reputation - 500_000 * 2 ** (-1 / 8))).toBeLessThan(1);
    // v3 signed 0 of 2 recorded commits: downtime (1 %), jailed, left out of the next committee.
    expect(validatorOf(m, v3)).toMatchObject({ tokens: 990n, jailed: true });
    // Epoch 1 is drawn from the electorate fixed when epoch 0 began: the outsider registered later,
    // and without the jailed v3 fewer than 4 remain, so the committee stays as it was.
    const members = () => m.state.committee.operators.map(bytesToHex);
    expect(members()).toEqual(g.validators.map((v) => bytesToHex(v.operator)));
    // Epoch 2 is drawn from epoch 1's electorate: the outsider is in it, the jailed v3 is not.
    chain.endEpoch();
    expect(members()).not.toContain(bytesToHex(v3.account.publicKey));
    expect(members()).toContain(bytesToHex(outsider.account.publicKey));
  });

  it('refuses commit records that are not certificates of this epoch', () => {
    const { genesis: g, parties } = genesis(4, 1, { epochBlocks: 64 });
    const chain = new Chain(g);
    const m = chain.machine;
    const [v0, v1, v2, v3, outsider] = parties;
    chain.advanceTo(3);
    expect(chain.send(outsider, stakingPayload.recordCommit(1, certificate(m, [v0, v1, v2], 1)))).toBe('record-not-a-member');
    const tooMany = [...certificate(m, [v0, v1, v2, v3], 1), ...certificate(m, [v0], 1)];
    const two = certificate(m, [v0, v1], 1);
    const mixed = [...certificate(m, [v0, v1], 1), vote(m, v2, MessageType.Commit, 0, 1, digestOf('other'))];
    const repeated = [...certificate(m, [v0, v1], 1), ...certificate(m, [v1], 1)];
    const forged = certificate(m, [v0, v1, v2], 1);
    forged[2] = forged[2].slice();
    forged[2][forged[2].length - 1] ^= 1;
    const prepares = [v0, v1, v2].map((p) => vote(m, p, MessageType.Prepare, 0, 1, digestOf('block 1')));
    for (const [frames, height, reason] of [
      [two, 1, 'record-invalid'],
      [tooMany, 1, 'record-invalid'],
      [mixed, 1, 'record-invalid'],
      [repeated, 1, 'record-invalid'],
      [forged, 1, 'record-invalid'],
      [prepares, 1, 'record-invalid'],
      [certificate(m, [v0, v1, v2], 60), 60, 'record-out-of-epoch'],
      [certificate(m, [v0, v1, v2], 65), 65, 'record-out-of-epoch'],
      [[new Uint8Array(120)], 1, 'record-invalid'],
    ] as [Uint8Array[], number, string][]) {
      const root = m.root();
      expect(chain.send(v3, stakingPayload.recordCommit(height, frames)), reason).toBe(reason);
      expect(chain.rootAfterExecute).toEqual(root);
    }
    // The fast path's n PREPAREs are a certificate too.
    const fast = [v0, v1, v2, v3].map((p) => vote(m, p, MessageType.Prepare, 0, 2, digestOf('block 2')));
    expect(chain.send(v3, stakingPayload.recordCommit(2, fast))).toBeNull();
  });

  it("takes the next epoch's seed from its designated prover's VRF proof, else the fallback", () => {
    const { genesis: g, parties } = genesis(6, 0, { epochBlocks: 4 });
    const chain = new Chain(g);
    const m = chain.machine;
    const c = m.state.committee;
    const prover = parties.find((p) => bytesToHex(p.consensus.publicKey) === bytesToHex(c.consensusKeys[m.epochProver()])) as Party;
    const other = parties.find((p) => p !== prover) as Party;
    expect(chain.send(prover, stakingPayload.epochSeed(0, proveEpochSeed(c.seed, 0, other.consensus.secretKey)))).toBe('seed-invalid');
    const proof = proveEpochSeed(c.seed, 0, prover.consensus.secretKey);
    expect(chain.send(other, stakingPayload.epochSeed(0, proof))).toBeNull();
    expect(chain.send(other, stakingPayload.epochSeed(0, proof))).toBe('seed-duplicate');
    chain.endEpoch();
    expect(m.state.committee.seed).toEqual(verifyEpochSeed(proof, c.seed, 0, prover.consensus.publicKey));
    // Nobody proves epoch 2's seed: the fallback is used and the chain goes on.
    const before = m.state.committee.seed;
    chain.endEpoch();
    expect(m.state.epoch).toBe(2);
    expect(m.state.committee.seed).not.toEqual(before);
    expect(m.state.committee.operators.length).toBe(4);
  });

  it('is deterministic: two machines fed the same blocks agree byte for byte, and a snapshot restores the same root', () => {
    const run = () => {
      const { genesis: g, parties } = genesis(6, 2, { epochBlocks: 4 });
      const chain = new Chain(g);
      chain.send(parties[6], stakingPayload.delegate(parties[2].account.publicKey, 700n));
      chain.send(parties[7], registerPayload(parties[7]));
      chain.endEpoch();
      chain.endEpoch();
      return chain.machine;
    };
    const a = run();
    const b = run();
    expect(a.root()).toEqual(b.root());
    expect(a.snapshot()).toEqual(b.snapshot());
    const { genesis: g } = genesis(6, 2, { epochBlocks: 4 });
    const c = new Chain(g).machine;
    c.restore(a.snapshot());
    expect(c.root()).toEqual(a.root());
    expect(() => c.restore(a.snapshot().subarray(0, 100))).toThrow(/./);
    expect(c.root()).toEqual(a.root());
  });
});

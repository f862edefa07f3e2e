import { describe, expect, it } from 'vitest';
import { blockHash, defaultTxRoot, encodeBlock, encodePrePrepare, MessageType, signVote } from '../../src/consensus/index.js';
import { signTransaction } from '../../src/tx/index.js';
import { auditSupply, invalidTxIndex, pendingRewards, stakingPayload, type ValidatorStateMachine } from '../../src/validators/index.js';
import { Chain, digestOf, genesis, keyOf, memberIndex, memberSigner, type Party, validatorOf, vote } from '../_support/validators.js';
import { sha256 } from '../../src/hash/index.js';


function equivocation(m: ValidatorStateMachine, p: Party, seq: number, type: MessageType = MessageType.Prepare): [Uint8Array, Uint8Array] {
  return [vote(m, p, type, 0, seq, digestOf(`a${seq}`)), vote(m, p, type, 0, seq, digestOf(`b${seq}`))];
}

describe('validator state machine: slashing from evidence', () => {
  it('slashes equivocation once at its default 20 %, jails, and lets delegators share the loss', () => {
    const { genesis: g, parties } = genesis();
    const chain = new Chain(g);
    const m = chain.machine;
    const [v0, , , , alice, bob] = parties;
    chain.send(alice, stakingPayload.delegate(v0.account.publicKey, 1_000n));
    const [a, b] = equivocation(m, v0, 1);
    // Power at the infraction is its stake in epoch 0's committee (1,000), not its tokens now (2,000).
    expect(chain.send(bob, stakingPayload.evidence(0, a, b))).toBeNull();
    expect(validatorOf(m, v0)).toMatchObject({ tokens: 1_800n, jailed: true, tombstoned: false });
    expect(auditSupply(m.state).burned).toBe(200n);
    expect(chain.send(bob, stakingPayload.evidence(0, b, a))).toBe('evidence-duplicate');
    // Other frames showing the same infraction convict once too.
    const c = vote(m, v0, MessageType.Prepare, 0, 1, digestOf('c1'));
    expect(chain.send(bob, stakingPayload.evidence(0, a, c))).toBe('evidence-duplicate');
    expect(validatorOf(m, v0).tokens).toBe(1_800n);
    const audit = auditSupply(m.state);
    expect(audit.held).toBe(audit.expected);
  });

  it('tombstones a validator that signed COMMITs for two blocks at one height and view', () => {
    const { genesis: g, parties } = genesis();
    const chain = new Chain(g);
    const m = chain.machine;
    const [, v1, , , alice] = parties;
    const first = vote(m, v1, MessageType.Commit, 0, 3, digestOf('x'));
    const second = vote(m, v1, MessageType.Commit, 0, 3, digestOf('y'));
    expect(chain.send(alice, stakingPayload.evidence(0, first, second))).toBeNull();
    expect(validatorOf(m, v1)).toMatchObject({ tokens: 500n, jailed: true, tombstoned: true });
    expect(chain.send(v1, stakingPayload.unjail())).toBe('tombstoned');
    expect(chain.send(alice, stakingPayload.delegate(v1.account.publicKey, 10n))).toBe('tombstoned');
  });

  it('slashes a proposal whose transaction root does not match its transactions (invalid proposal, 5 %)', () => {
    const { genesis: g, parties } = genesis();
    const chain = new Chain(g);
    const m = chain.machine;
    const [, , v2, , alice] = parties;
    const block = { height: 2, parent: new Uint8Array(32), txRoot: digestOf('not the root'), txs: [] as Uint8Array[] };
    const prepare = signVote(memberSigner(m, v2), MessageType.Prepare, memberIndex(m, v2), 0, 2, blockHash(block, sha256));
    const frame = encodePrePrepare(memberIndex(m, v2), prepare, encodeBlock(block));
    expect(chain.send(alice, stakingPayload.evidence(0, frame))).toBeNull();
    expect(validatorOf(m, v2)).toMatchObject({ tokens: 950n, jailed: true });
    // A transaction whose signature fails, named by its index (only that one is verified).
    const client = parties[5].account;
    const good1 = signTransaction({ chainId: g.chainId, nonce: 1, payload: new Uint8Array([1]) }, client.secretKey).bytes;
    const forgedTx = signTransaction({ chainId: g.chainId, nonce: 2, payload: new Uint8Array([2]) }, client.secretKey).bytes.slice();
    forgedTx[forgedTx.length - 1] ^= 1;
    const withBadTx = { height: 4, parent: new Uint8Array(32), txRoot: defaultTxRoot()([good1, forgedTx]), txs: [good1, forgedTx] };
    const vote4 = signVote(memberSigner(m, v2), MessageType.Prepare, memberIndex(m, v2), 0, 4, blockHash(withBadTx, sha256));
    const proposal4 = encodePrePrepare(memberIndex(m, v2), vote4, encodeBlock(withBadTx));
    expect(chain.send(alice, stakingPayload.evidence(0, proposal4, invalidTxIndex(0)))).toBe('evidence-not-an-offence');
    expect(chain.send(alice, stakingPayload.evidence(0, proposal4))).toBe('evidence-not-an-offence');
    expect(chain.send(alice, stakingPayload.evidence(0, proposal4, invalidTxIndex(1)))).toBeNull();
    expect(validatorOf(m, v2).tokens).toBe(950n - 50n);
    // A valid empty block is no offence.
    const good = { height: 3, parent: new Uint8Array(32), txRoot: defaultTxRoot()([]), txs: [] as Uint8Array[] };
    const vote3 = signVote(memberSigner(m, v2), MessageType.Prepare, memberIndex(m, v2), 0, 3, blockHash(good, sha256));
    expect(chain.send(alice, stakingPayload.evidence(0, encodePrePrepare(memberIndex(m, v2), vote3, encodeBlock(good))))).toBe('evidence-not-an-offence');
  });

  it('refuses forged, unrelated, honest and stale evidence without changing the state', () => {
    const { genesis: g, parties } = genesis(4, 2, { epochBlocks: 16, evidenceMaxAgeEpochs: 1, unbondingEpochs: 2 });
    const chain = new Chain(g);
    const m = chain.machine;
    const [v0, v1, , , alice] = parties;
    const [a, b] = equivocation(m, v0, 1);
    const forged = b.slice();
    forged[forged.length - 1] ^= 1;
    const other = vote(m, v1, MessageType.Prepare, 0, 1, digestOf('b1'));
    const sameDigest = vote(m, v0, MessageType.Commit, 0, 1, digestOf('a1'));
    const prepareThenCommit = vote(m, v0, MessageType.Commit, 1, 1, digestOf('b1'));
    // COMMITs for two blocks in two views: an honest replica may sign both (a NEW-VIEW freed the slot).
    const commitView0 = vote(m, v0, MessageType.Commit, 0, 2, digestOf('x2'));
    const commitView1 = vote(m, v0, MessageType.Commit, 1, 2, digestOf('y2'));
    const cases: [Uint8Array, Uint8Array, number, string][] = [
      [a, forged, 0, 'evidence-invalid'],
      [a, other, 0, 'evidence-not-an-offence'],
      [a, sameDigest, 0, 'evidence-not-an-offence'],
      [a, prepareThenCommit, 0, 'evidence-not-an-offence'],
      [commitView0, commitView1, 0, 'evidence-not-an-offence'],
      [a, a, 0, 'evidence-not-an-offence'],
      [a, new Uint8Array([1, 2, 3, 4, 5]), 0, 'evidence-invalid'],
      [a, b, 7, 'evidence-stale'],
    ];
    for (const [first, second, epoch, reason] of cases) {
      const root = m.root();
      expect(chain.send(alice, stakingPayload.evidence(epoch, first, second)), reason).toBe(reason);
      expect(chain.rootAfterExecute, reason).toEqual(root);
    }
    // Signed under epoch 0's committee: valid while epoch 0 is within the evidence age, stale after.
    chain.advanceTo(16);
    expect(m.state.epoch).toBe(1);
    expect(chain.send(alice, stakingPayload.evidence(1, a, b))).toBe('evidence-invalid');
    chain.advanceTo(32);
    expect(m.state.epoch).toBe(2);
    expect(chain.send(alice, stakingPayload.evidence(0, a, b))).toBe('evidence-stale');
  });

  it('slashes unbonding and redelegated stake created after the infraction, not before (the Cosmos rule)', () => {
    const { genesis: g, parties } = genesis(5, 3, { epochBlocks: 100 });
    const chain = new Chain(g);
    const m = chain.machine;
    const [v0, v1, , , , alice, bob, carol] = parties;
    chain.send(alice, stakingPayload.delegate(v0.account.publicKey, 1_000n)); // height 1
    chain.send(bob, stakingPayload.delegate(v0.account.publicKey, 1_000n)); // height 2
    chain.send(alice, stakingPayload.unbond(v0.account.publicKey, 500n)); // height 3: before the infraction
    const [a, b] = equivocation(m, v0, 5); // infraction at height 5
    chain.advanceTo(5);
    chain.send(alice, stakingPayload.unbond(v0.account.publicKey, 500n)); // height 6: after it
    chain.send(bob, stakingPayload.redelegate(v0.account.publicKey, v1.account.publicKey, 1_000n)); // height 7: after it
    const beforeTokens = validatorOf(m, v0).tokens;
    const v1Before = validatorOf(m, v1).tokens;
    expect(chain.send(carol, stakingPayload.evidence(0, a, b))).toBeNull();
    const entries = m.state.unbonding.get(keyOf(alice.account.publicKey) + keyOf(v0.account.publicKey)) ?? [];
    expect(entries.map((e) => e.balance)).toEqual([500n, 400n]);
    // Bob's redelegated 1,000 lose 20 % at the destination.
    expect(v1Before - validatorOf(m, v1).tokens).toBe(200n);
    // Power at the infraction: v0's epoch-0 stake, 1,000 → 200 owed, all covered by the two entries.
    expect(validatorOf(m, v0).tokens).toBe(beforeTokens);
    expect(auditSupply(m.state).burned).toBe(300n);
    const audit = auditSupply(m.state);
    expect(audit.held).toBe(audit.expected);
  });

  it('burns tokens, not rewards: reward per share stays; a redelegation slash settles the shares it takes first', () => {
    const { genesis: g, parties } = genesis(5, 3, { epochBlocks: 8 });
    const chain = new Chain(g);
    const m = chain.machine;
    const [v0, v1, , , , alice, bob, carol] = parties;
    const [a, b] = equivocation(m, v0, 2); // infraction at height 2
    chain.send(alice, stakingPayload.delegate(v0.account.publicKey, 1_000n)); // height 1
    chain.send(bob, stakingPayload.delegate(v0.account.publicKey, 1_000n)); // height 2
    chain.send(bob, stakingPayload.redelegate(v0.account.publicKey, v1.account.publicKey, 1_000n)); // height 3: after it
    chain.endEpoch(); // v0 and v1 are paid: 2,000 shares each (v0: self and alice; v1: self and bob)
    const bobKey = keyOf(bob.account.publicKey);
    const perShare = [validatorOf(m, v0).rewardPerShare, validatorOf(m, v1).rewardPerShare];
    const pending = [pendingRewards(m.state, alice.account.publicKey), pendingRewards(m.state, bob.account.publicKey)];
    expect(pending[1]).toBeGreaterThan(0n);
    expect(m.state.rewards.get(bobKey)).toBeUndefined();
    expect(chain.send(carol, stakingPayload.evidence(0, a, b))).toBeNull();
    // v0 lost tokens, v1 lost tokens and bob's shares; neither's reward per share moved, nobody's rewards did.
    expect(validatorOf(m, v1).shares).toBeLessThan(2_000n);
    expect([validatorOf(m, v0).rewardPerShare, validatorOf(m, v1).rewardPerShare]).toEqual(perShare);
    expect([pendingRewards(m.state, alice.account.publicKey), pendingRewards(m.state, bob.account.publicKey)]).toEqual(pending);
    // Bob's were settled on the shares he had before the slash took some.
    expect(m.state.rewards.get(bobKey)).toBe(pending[1]);
    const audit = auditSupply(m.state);
    expect(audit.held).toBe(audit.expected);
  });
});

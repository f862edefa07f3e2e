import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { MessageType, quorums } from '../../src/consensus/index.js';
import { sha256 } from '../../src/hash/index.js';
import { auditSupply, stakingPayload, type StakingRefusal, ValidatorStateMachine } from '../../src/validators/index.js';
import { Rng } from '../_support/seed.js';
import { Chain, digestOf, genesis, type Party, registerPayload, vote } from '../_support/validators.js';

// The state root and snapshot of one fixed history, pinned as bytes: the validator state's
// encoding and every rule's arithmetic must stay exactly as they are through any rewrite for
// speed. The history is fixed (a constant seed), long enough to reach every path an epoch end
// takes: rewards with commission and dust, reputation EMA and decay, downtime and equivocation
// slashing of bonded, unbonding and redelegated stake, maturity, elections, evidence pruning.
// Re-pinned once, for lazy reward distribution (state version 2: reward per share, outstanding
// pool and accrued commission in validators, settlement points in delegations); on that change the history executed the same
// transactions with the same results, minted and burned the same, and after every party withdrew
// each account's balance differed from the old rule's by rounding dust (at most 19 tokens of 14 million minted).

const PARAMS = {
  epochBlocks: 24,
  unbondingEpochs: 3,
  evidenceMaxAgeEpochs: 2,
  maxEntries: 4,
  minSelfBond: 100n,
  minRecordedPerEpoch: 2,
  committee: { min: 6, max: 8 },
};
const EPOCHS = 12;

function partyOf(parties: Party[], consensusKey: Uint8Array): Party {
  return parties.find((p) => bytesToHex(p.consensus.publicKey) === bytesToHex(consensusKey)) as Party;
}

/** A random staking transaction of a random party, mostly towards validators (and delegations) that exist. */
function randomPayload(rng: Rng, parties: Party[], m: ValidatorStateMachine): { from: Party; payload: Uint8Array } {
  const from = parties[rng.int(parties.length)];
  const operators = [...m.state.validators.values()].map((v) => v.operator);
  const sender = String.fromCharCode(...from.account.publicKey);
  const held = m.state.delegations.keys().filter((k) => k.startsWith(sender)).map((k) => Uint8Array.from(k.slice(32), (c) => c.charCodeAt(0)));
  const validator = () => operators[rng.int(operators.length)];
  const mine = () => (held.length && rng.int(5) ? held[rng.int(held.length)] : validator());
  const anyone = parties[rng.int(parties.length)].account.publicKey;
  const amount = BigInt(1 + rng.int(rng.int(4) === 0 ? 5_000 : 400));
  const kind = rng.int(20);
  if (kind < 7) return { from, payload: stakingPayload.delegate(validator(), amount) };
  if (kind < 10) return { from, payload: stakingPayload.unbond(mine(), amount) };
  if (kind < 13) return { from, payload: stakingPayload.redelegate(mine(), validator(), amount) };
  if (kind < 15) return { from, payload: stakingPayload.withdraw() };
  if (kind < 17) return { from, payload: stakingPayload.transfer(anyone, amount) };
  if (kind < 18) return { from, payload: registerPayload(from, rng.int(3_000), BigInt(100 + rng.int(2_000))) };
  const jailed = [...m.state.validators.values()].filter((v) => v.jailed).map((v) => bytesToHex(v.operator));
  const operator = jailed.length ? parties.find((p) => bytesToHex(p.account.publicKey) === jailed[rng.int(jailed.length)]) : undefined;
  return { from: operator ?? from, payload: stakingPayload.unjail() };
}

/** Runs the history; returns a hash over every root along the way, and the end state. */
function runHistory(): { trail: string; machine: ValidatorStateMachine; refusals: Map<StakingRefusal | 'ok', number> } {
  const rng = new Rng(0x5eed14);
  const { genesis: g, parties } = genesis(12, 36, PARAMS);
  const chain = new Chain(g);
  const m = chain.machine;
  const refusals = new Map<StakingRefusal | 'ok', number>();
  let trail: Uint8Array = new Uint8Array(32);
  const mark = () => {
    trail = sha256(new Uint8Array([...trail, ...(chain.rootAfterExecute ?? []), ...m.root()]));
  };
  const send = (from: Party, payload: Uint8Array) => {
    const r = chain.send(from, payload) ?? 'ok';
    refusals.set(r, (refusals.get(r) ?? 0) + 1);
    mark();
  };
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const first = epoch * PARAMS.epochBlocks + 1;
    for (let i = 0; i < 18; i++) {
      const { from, payload } = randomPayload(rng, parties, m);
      send(from, payload);
    }
    const c = m.state.committee;
    const members = c.consensusKeys.map((k) => partyOf(parties, k));
    // Commit records of three heights; in odd epochs one member signs none of them (downtime).
    const absent = epoch % 2 ? rng.int(members.length) : -1;
    const signers = members.filter((_, i) => i !== absent).slice(0, Math.max(quorums(members.length).quorum, members.length - 1));
    for (let h = first; h < first + 3; h++) {
      send(members[0], stakingPayload.recordCommit(h, signers.map((p) => vote(m, p, MessageType.Commit, h % 2, h, digestOf(`block ${h}`)))));
    }
    if (epoch % 3 === 1) {
      const offender = members[rng.int(members.length)];
      const height = first + 1;
      const a = vote(m, offender, MessageType.Prepare, 0, height, digestOf('a'));
      const b = vote(m, offender, MessageType.Prepare, 0, height, digestOf('b'));
      send(parties[0], stakingPayload.evidence(epoch, a, b));
    }
    chain.endEpoch();
    mark();
  }
  return { trail: bytesToHex(trail), machine: m, refusals };
}

describe('validator state machine: pinned bytes of a fixed history', () => {
  it('gives the same roots along the way, the same final root and the same snapshot as when pinned', () => {
    const { trail, machine, refusals } = runHistory();
    // The history reaches what it is meant to: rewards, slashing, several kinds of refusal.
    const s = machine.state;
    expect(s.validators.size).toBeGreaterThan(12);
    expect([...s.validators.values()].some((v) => v.jailed)).toBe(true);
    expect(s.delegations.size).toBeGreaterThan(50);
    expect(s.unbonding.size + s.redelegations.size).toBeGreaterThan(0);
    expect(s.committee.operators).toHaveLength(6);
    const audit = auditSupply(machine.state);
    expect(audit.held).toBe(audit.expected);
    expect(audit.minted).toBeGreaterThan(0n);
    expect(audit.burned).toBeGreaterThan(0n);
    expect(audit.outstanding).toBeGreaterThan(0n);
    expect(audit.rewards).toBeGreaterThan(0n);
    expect(refusals.get('ok')).toBeGreaterThan(100);
    expect(refusals.size).toBeGreaterThan(5);
    expect(machine.state.epoch).toBe(EPOCHS);

    const snapshot = machine.snapshot();
    expect(trail).toBe('fa346b494311faebe73bce63e8419fc46dadce37cb0608823df5444f24a6e264');
    expect(bytesToHex(machine.root())).toBe('f3d200c146ab480b4e62b572423ff01609a180537f3b6d240b3ac019f675fa0a');
    expect(snapshot.length).toBe(19867);
    expect(bytesToHex(sha256(snapshot))).toBe('6b174f18d7ac7127eca31bfbf5cf32cd2c2f14c7d54759995b69fea230408436');

    const restored = new ValidatorStateMachine(genesis(12, 36, PARAMS).genesis);
    restored.restore(snapshot);
    expect(bytesToHex(restored.root())).toBe(bytesToHex(machine.root()));
    expect(restored.snapshot()).toEqual(snapshot);
  });
});

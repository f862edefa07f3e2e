import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { MessageType } from '../../src/consensus/index.js';
import { auditSupply, pendingRewards, stakingPayload, type ValidatorStateMachine } from '../../src/validators/index.js';
import { testSeed } from '../_support/seed.js';
import { Chain, digestOf, genesis, type Party, registerPayload, vote } from '../_support/validators.js';

// Random staking histories (fast-check, seeded: a failure prints the seed and the shrunk history)
// against the laws the state machine must keep after every transaction and epoch end.

type Step =
  | { kind: 'transfer' | 'delegate' | 'unbond'; from: number; to: number; amount: number }
  | { kind: 'redelegate'; from: number; src: number; dst: number; amount: number }
  | { kind: 'register' | 'unjail' | 'withdraw'; from: number }
  | { kind: 'equivocate'; member: number; seq: number }
  | { kind: 'epoch' };

const PARTIES = 8;
const party = fc.integer({ min: 0, max: PARTIES - 1 });
const amount = fc.oneof(fc.integer({ min: 0, max: 3_000 }), fc.constantFrom(1, 2 ** 53 - 1));
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('transfer', 'delegate', 'unbond') as fc.Arbitrary<'transfer' | 'delegate' | 'unbond'>, from: party, to: party, amount }),
  fc.record({ kind: fc.constant('redelegate' as const), from: party, src: party, dst: party, amount }),
  fc.record({ kind: fc.constantFrom('register', 'unjail', 'withdraw') as fc.Arbitrary<'register' | 'unjail' | 'withdraw'>, from: party }),
  fc.record({ kind: fc.constant('equivocate' as const), member: fc.integer({ min: 0, max: 3 }), seq: fc.integer({ min: 1, max: 3 }) }),
  fc.constant({ kind: 'epoch' as const }),
);

const PARAMS = { epochBlocks: 4, unbondingEpochs: 2, evidenceMaxAgeEpochs: 1, maxEntries: 3, minSelfBond: 100n };

/** Evidence that committee member `s.member` signed two PREPAREs at `s.seq` in view 0 of this epoch. */
function equivocation(m: ValidatorStateMachine, parties: Party[], s: { member: number; seq: number }): Uint8Array {
  const c = m.state.committee;
  const offender = parties.find((p) => bytesToHex(p.consensus.publicKey) === bytesToHex(c.consensusKeys[s.member % c.consensusKeys.length])) as Party;
  // A height of the current epoch: evidence is dated in the epoch it names.
  const height = m.state.epoch * PARAMS.epochBlocks + s.seq;
  const a = vote(m, offender, MessageType.Prepare, 0, height, digestOf('a'));
  const b = vote(m, offender, MessageType.Prepare, 0, height, digestOf('b'));
  return stakingPayload.evidence(m.state.epoch, a, b);
}

function apply(chain: Chain, parties: Party[], s: Step): string | null {
  const m = chain.machine;
  const key = (i: number) => parties[i].account.publicKey;
  const sendAmount = (n: number) => (n === 0 ? 1n : BigInt(n));
  switch (s.kind) {
    case 'transfer':
      return chain.send(parties[s.from], stakingPayload.transfer(key(s.to), sendAmount(s.amount)));
    case 'delegate':
      return chain.send(parties[s.from], stakingPayload.delegate(key(s.to), sendAmount(s.amount)));
    case 'unbond':
      return chain.send(parties[s.from], stakingPayload.unbond(key(s.to), sendAmount(s.amount)));
    case 'redelegate':
      return chain.send(parties[s.from], stakingPayload.redelegate(key(s.src), key(s.dst), sendAmount(s.amount)));
    case 'register':
      return chain.send(parties[s.from], registerPayload(parties[s.from], 300, 200n));
    case 'unjail':
      return chain.send(parties[s.from], stakingPayload.unjail());
    case 'withdraw':
      return chain.send(parties[s.from], stakingPayload.withdraw());
    case 'equivocate':
      return chain.send(parties[0], equivocation(m, parties, s));
    case 'epoch':
      chain.endEpoch();
      return null;
  }
}

function checkLaws(m: ValidatorStateMachine): void {
  const audit = auditSupply(m.state);
  expect(audit.held, 'conservation').toBe(audit.expected);
  for (const b of m.state.balances.values()) expect(b > 0n, 'no empty or negative balance kept').toBe(true);
  for (const entries of m.state.unbonding.values()) for (const e of entries) expect(e.balance >= 0n && e.balance <= e.initialBalance).toBe(true);
  const sharesOf = new Map<string, bigint>();
  const accruedOf = new Map<string, bigint>();
  for (const key of m.state.delegations.keys()) {
    const d = m.state.delegations.get(key);
    const v = m.state.validators.get(key.slice(32));
    if (!d || !v) throw new Error('a delegation without its validator');
    expect(d.shares > 0n).toBe(true);
    expect(d.settledPerShare <= v.rewardPerShare, 'settled no later than now').toBe(true);
    sharesOf.set(key.slice(32), (sharesOf.get(key.slice(32)) ?? 0n) + d.shares);
    // Accrued since its last settlement: shares × the rise of reward per share, in 2^-64 tokens (not rounded down).
    const accrued = d.shares * (v.rewardPerShare - d.settledPerShare);
    accruedOf.set(key.slice(32), (accruedOf.get(key.slice(32)) ?? 0n) + accrued);
  }
  for (const key of m.state.validators.keys()) {
    const v = m.state.validators.get(key);
    if (!v) continue;
    expect(v.tokens >= 0n).toBe(true);
    // Delegator shares add up to exactly what the validator issued: no share is worth more than its part of the tokens.
    expect(sharesOf.get(key) ?? 0n, 'shares issued').toBe(v.shares);
    // What its delegators and its operator may withdraw, together and to the fraction of a token, never exceeds what its pool holds.
    expect(v.accruedCommission >= 0n && v.accruedCommission <= v.outstandingRewards, 'commission within the pool').toBe(true);
    expect((accruedOf.get(key) ?? 0n) <= (v.outstandingRewards - v.accruedCommission) << 64n, 'outstanding pool covers accrued rewards').toBe(true);
  }
}

/** Withdraw moves exactly what `pendingRewards` reported to the balance, and leaves nothing pending (checked before its block ends: an epoch end may follow). */
function checkWithdraw(chain: Chain, parties: Party[], from: number): void {
  const m = chain.machine;
  const account = parties[from].account.publicKey;
  const key = String.fromCharCode(...account);
  const pending = pendingRewards(m.state, account);
  const before = m.state.balances.get(key) ?? 0n;
  const root = m.root();
  chain.height++;
  const refusal = m.execute(account, stakingPayload.withdraw(), chain.height);
  expect(refusal).toBe(pending === 0n ? 'no-rewards' : null);
  if (refusal) expect(m.root()).toEqual(root);
  expect(pendingRewards(m.state, account)).toBe(0n);
  expect(m.state.balances.get(key) ?? 0n).toBe(before + pending);
  m.endBlock(chain.height);
}

describe('validator state machine: properties', () => {
  const seed = testSeed('validators properties');

  it('keeps conservation, non-negative holdings, share accounting and reward pools that cover what delegators may withdraw on random histories; refusals change nothing', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const { genesis: g, parties } = genesis(4, PARTIES - 4, PARAMS);
        const chain = new Chain(g);
        for (const s of steps) {
          const root = chain.machine.root();
          if (s.kind === 'withdraw') checkWithdraw(chain, parties, s.from);
          else {
            const refusal = apply(chain, parties, s);
            if (refusal !== null) expect(chain.rootAfterExecute, refusal).toEqual(root);
          }
          checkLaws(chain.machine);
        }
      }),
      { seed, numRuns: 60 },
    );
  });

  it('slashing twice for the same evidence is a no-op, and replaying a history gives the same bytes', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        const run = () => {
          const { genesis: g, parties } = genesis(4, PARTIES - 4, PARAMS);
          const chain = new Chain(g);
          for (const s of steps) {
            if (s.kind !== 'equivocate') {
              apply(chain, parties, s);
              continue;
            }
            const payload = equivocation(chain.machine, parties, s);
            const first = chain.send(parties[0], payload);
            expect([null, 'evidence-duplicate']).toContain(first);
            const root = chain.machine.root();
            expect(chain.send(parties[1], payload)).toBe('evidence-duplicate');
            expect(chain.rootAfterExecute).toEqual(root);
          }
          return chain.machine;
        };
        const a = run();
        const b = run();
        expect(a.snapshot()).toEqual(b.snapshot());
        expect(a.root()).toEqual(b.root());
      }),
      { seed: seed + 1, numRuns: 25 },
    );
  });

  it('a machine restored from a snapshot taken anywhere in a history ends where the uninterrupted one does', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 2, maxLength: 30 }), fc.nat(), (steps, cut) => {
        const at = cut % steps.length;
        const { genesis: g, parties } = genesis(4, PARTIES - 4, PARAMS);
        const whole = new Chain(g);
        for (const s of steps.slice(0, at)) apply(whole, parties, s);
        const resumed = new Chain(g);
        resumed.machine.restore(whole.machine.snapshot());
        resumed.height = whole.height;
        for (const s of steps.slice(at)) {
          apply(whole, parties, s);
          apply(resumed, parties, s);
        }
        expect(resumed.machine.root()).toEqual(whole.machine.root());
        expect(resumed.machine.snapshot()).toEqual(whole.machine.snapshot());
      }),
      { seed: seed + 2, numRuns: 25 },
    );
  });
});

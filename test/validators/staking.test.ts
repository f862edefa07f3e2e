import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { ArgumentRangeError, ArgumentTypeError } from '../../src/check/index.js';
import { auditSupply, stakingPayload, type ValidatorStateMachine } from '../../src/validators/index.js';
import { Chain, genesis, keyOf, type Party, registerPayload, validatorOf } from '../_support/validators.js';

function balance(m: ValidatorStateMachine, p: Party): bigint {
  return m.state.balances.get(keyOf(p.account.publicKey)) ?? 0n;
}
function shares(m: ValidatorStateMachine, delegator: Party, of: Party): bigint {
  return m.state.delegations.get(keyOf(delegator.account.publicKey) + keyOf(of.account.publicKey))?.shares ?? 0n;
}

describe('validator state machine: accounts and bonding', () => {
  it('starts from genesis with its committee bonded and the supply accounted for', () => {
    const { genesis: g, parties } = genesis();
    const chain = new Chain(g);
    const m = chain.machine;
    expect(m.state.committee.operators.map(bytesToHex)).toEqual(parties.slice(0, 4).map((p) => bytesToHex(p.account.publicKey)));
    expect(validatorOf(m, parties[0]).tokens).toBe(1_000n);
    const audit = auditSupply(m.state);
    expect(audit.expected).toBe(8n * 10_000n + 4n * 1_000n);
    expect(audit.held).toBe(audit.expected);
  });

  it('transfers, delegates, unbonds and pays unbonded tokens out only after the unbonding period', () => {
    const { genesis: g, parties } = genesis(4, 4, { epochBlocks: 4, unbondingEpochs: 2, evidenceMaxAgeEpochs: 1 });
    const chain = new Chain(g);
    const m = chain.machine;
    const [v0, , , , alice, bob] = parties;
    expect(chain.send(alice, stakingPayload.transfer(bob.account.publicKey, 2_500n))).toBeNull();
    expect(balance(m, alice)).toBe(7_500n);
    expect(balance(m, bob)).toBe(12_500n);
    expect(chain.send(alice, stakingPayload.delegate(v0.account.publicKey, 3_000n))).toBeNull();
    expect(shares(m, alice, v0)).toBe(3_000n);
    expect(validatorOf(m, v0).tokens).toBe(4_000n);
    // Unbonding starts in epoch 0 and completes at the start of epoch 2.
    expect(chain.send(alice, stakingPayload.unbond(v0.account.publicKey, 1_000n))).toBeNull();
    expect(shares(m, alice, v0)).toBe(2_000n);
    expect(balance(m, alice)).toBe(4_500n);
    chain.endEpoch();
    expect(m.state.epoch).toBe(1);
    expect(balance(m, alice)).toBe(4_500n);
    chain.endEpoch();
    expect(m.state.epoch).toBe(2);
    expect(balance(m, alice)).toBe(5_500n);
    expect(m.state.unbonding.size).toBe(0);
    expect(auditSupply(m.state).held).toBe(auditSupply(m.state).expected);
  });

  it('redelegates between validators and registers a new one with proof of its consensus key', () => {
    const { genesis: g, parties } = genesis();
    const chain = new Chain(g);
    const m = chain.machine;
    const [v0, v1, , , alice, newcomer] = parties;
    chain.send(alice, stakingPayload.delegate(v0.account.publicKey, 1_000n));
    expect(chain.send(alice, stakingPayload.redelegate(v0.account.publicKey, v1.account.publicKey, 400n))).toBeNull();
    expect(shares(m, alice, v0)).toBe(600n);
    expect(shares(m, alice, v1)).toBe(400n);
    expect(m.state.redelegations.size).toBe(1);
    expect(chain.send(newcomer, registerPayload(newcomer, 700, 2_000n))).toBeNull();
    expect(validatorOf(m, newcomer)).toMatchObject({ tokens: 2_000n, shares: 2_000n, commission: 700, jailed: false });
    expect(balance(m, newcomer)).toBe(8_000n);
  });

  it('refuses bad staking transactions with a reason and leaves the state root unchanged', () => {
    const { genesis: g, parties } = genesis(4, 4, { maxEntries: 2, maxCommission: 2_000 });
    const chain = new Chain(g);
    const m = chain.machine;
    const [v0, v1, , , alice, bob, carol, stranger] = parties;
    chain.send(alice, stakingPayload.delegate(v0.account.publicKey, 100n));
    chain.send(alice, stakingPayload.unbond(v0.account.publicKey, 10n));
    chain.send(alice, stakingPayload.unbond(v0.account.publicKey, 10n));
    const forged = registerPayload(bob);
    forged[forged.length - 1] ^= 1;
    const cases: [Party, Uint8Array, string][] = [
      [alice, stakingPayload.transfer(bob.account.publicKey, 1_000_000n), 'insufficient-funds'],
      [alice, stakingPayload.delegate(stranger.consensus.publicKey, 10n), 'unknown-validator'],
      [alice, stakingPayload.delegate(v0.account.publicKey, 2n ** 64n - 1n), 'insufficient-funds'],
      [alice, stakingPayload.unbond(v0.account.publicKey, 10_000n), 'insufficient-stake'],
      [alice, stakingPayload.unbond(v1.account.publicKey, 1n), 'insufficient-stake'],
      [alice, stakingPayload.unbond(v0.account.publicKey, 1n), 'too-many-entries'],
      [alice, stakingPayload.redelegate(v0.account.publicKey, v0.account.publicKey, 1n), 'same-validator'],
      [v0, registerPayload(v0), 'already-registered'],
      [bob, registerPayload(v1), 'consensus-key-taken'],
      [bob, registerPayload(bob, 5_000), 'commission-too-high'],
      [bob, registerPayload(bob, 100, 20_000n), 'insufficient-funds'],
      [bob, forged, 'bad-registration-proof'],
      [alice, stakingPayload.unjail(), 'unknown-validator'],
      [v0, stakingPayload.unjail(), 'not-jailed'],
      [carol, stakingPayload.withdraw(), 'no-rewards'],
      [alice, new Uint8Array([0x53, 1, 99]), 'malformed'],
      [alice, new Uint8Array([0x53, 1, 0, 1, 2]), 'malformed'],
      [alice, stakingPayload.epochSeed(5, new Uint8Array(80)), 'seed-wrong-epoch'],
      [alice, stakingPayload.epochSeed(0, new Uint8Array(80)), 'seed-invalid'],
    ];
    for (const [sender, payload, reason] of cases) {
      const before = bytesToHex(m.root());
      const snapshot = bytesToHex(m.snapshot());
      chain.height++;
      expect(m.execute(sender.account.publicKey, payload, chain.height), reason).toBe(reason);
      expect(bytesToHex(m.root()), reason).toBe(before);
      expect(bytesToHex(m.snapshot()), reason).toBe(snapshot);
      m.endBlock(chain.height);
    }
  });

  it('jails an operator that unbonds below the minimum self-bond, and lets it unjail after bonding again', () => {
    const { genesis: g, parties } = genesis(4, 0, { minSelfBond: 500n });
    const chain = new Chain(g);
    const m = chain.machine;
    const v0 = parties[0];
    expect(chain.send(v0, stakingPayload.unbond(v0.account.publicKey, 600n))).toBeNull();
    expect(validatorOf(m, v0).jailed).toBe(true);
    expect(chain.send(v0, stakingPayload.unjail())).toBe('self-bond-too-small');
    expect(chain.send(v0, stakingPayload.delegate(v0.account.publicKey, 200n))).toBeNull();
    expect(chain.send(v0, stakingPayload.unjail())).toBeNull();
    expect(validatorOf(m, v0).jailed).toBe(false);
  });

  it('payload builders check their arguments', () => {
    const key = new Uint8Array(32);
    expect(() => stakingPayload.transfer(key, 0n)).toThrow(ArgumentRangeError);
    expect(() => stakingPayload.transfer(key, 2n ** 64n)).toThrow(/stakingPayload\.transfer: amount must be from 1 to 2\^64/);
    expect(() => stakingPayload.delegate(key, -1)).toThrow(ArgumentRangeError);
    expect(() => stakingPayload.delegate(key, 1.5)).toThrow(/amount must be an integer/);
    expect(() => stakingPayload.unbond(key, '5' as never)).toThrow(ArgumentTypeError);
    expect(() => stakingPayload.unbond(new Uint8Array(31), 5)).toThrow(/stakingPayload\.unbond: validator must be 32 bytes/);
    expect(() => stakingPayload.register(key, 10_001, 1n, new Uint8Array(64))).toThrow(/commission/);
    expect(() => stakingPayload.epochSeed(-1, new Uint8Array(80))).toThrow(ArgumentRangeError);
    const e = (() => {
      try {
        stakingPayload.transfer(key, -5n);
      } catch (err) {
        return err as ArgumentRangeError;
      }
    })();
    expect(e?.code).toBe('ERR_OUT_OF_RANGE');
  });
});

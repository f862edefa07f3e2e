import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/consensus/index.js';
import { KeyValueStore, kvSet } from '../../src/kv/index.js';
import { signTransaction } from '../../src/tx/index.js';
import { decodeStakingResult, resolveStakingParams, stakingPayload, ValidatorApplication, ValidatorStateMachine } from '../../src/validators/index.js';
import { expectRefusals, type Refusal } from '../_support/refusals.js';
import { genesis } from '../_support/validators.js';

describe('validator state machine: arguments and the application face', () => {
  it('refuses bad genesis, params and calls with errors naming the function and the argument', () => {
    const { genesis: g } = genesis();
    const m = new ValidatorStateMachine(g);
    const rows: Refusal[] = [
      ['no genesis', () => new ValidatorStateMachine(null as never), 'type', 'ValidatorStateMachine', 'genesis'],
      ['unknown field', () => new ValidatorStateMachine({ ...g, extra: 1 } as never), 'type', 'ValidatorStateMachine', 'genesis.extra', 'not an option'],
      ['three validators', () => new ValidatorStateMachine({ ...g, validators: g.validators.slice(1) }), 'range', 'ValidatorStateMachine', 'genesis.validators', 'at least 4'],
      ['repeated', () => new ValidatorStateMachine({ ...g, validators: [...g.validators.slice(1), g.validators[1]] }), 'range', 'ValidatorStateMachine', 'genesis.validators[3]'],
      ['short key', () => new ValidatorStateMachine({ ...g, validators: [{ ...g.validators[0], consensusKey: new Uint8Array(31) }, ...g.validators.slice(1)] }), 'range', 'ValidatorStateMachine', 'genesis.validators[0].consensusKey'],
      ['balance', () => new ValidatorStateMachine({ ...g, accounts: [{ account: new Uint8Array(32), balance: -1n }] }), 'range', 'ValidatorStateMachine', 'genesis.accounts[0].balance'],
      ['balance type', () => new ValidatorStateMachine({ ...g, accounts: [{ account: new Uint8Array(32), balance: '5' as never }] }), 'type', 'ValidatorStateMachine', 'genesis.accounts[0].balance'],
      ['seed', () => new ValidatorStateMachine({ ...g, seed: new Uint8Array(3) }), 'range', 'ValidatorStateMachine', 'genesis.seed'],
      ['chain id', () => new ValidatorStateMachine({ ...g, chainId: '' }), 'range', 'ValidatorStateMachine', 'genesis.chainId'],
      ['epoch blocks', () => resolveStakingParams({ epochBlocks: 0 }), 'range', 'resolveStakingParams', 'params.epochBlocks'],
      ['weights', () => resolveStakingParams({ rewardWeights: { reputation: 7_000, stake: 4_000 } }), 'range', 'resolveStakingParams', 'params.rewardWeights.stake'],
      ['evidence age', () => resolveStakingParams({ unbondingEpochs: 2, evidenceMaxAgeEpochs: 2 }), 'range', 'resolveStakingParams', 'params.evidenceMaxAgeEpochs'],
      ['slash fraction', () => resolveStakingParams({ slashing: { downtime: { fraction: 10_001 } } as never }), 'range', 'resolveStakingParams', 'params.slashing.downtime.fraction'],
      ['tombstone', () => resolveStakingParams({ slashing: { equivocation: { tombstone: 'yes' } } as never }), 'type', 'resolveStakingParams', 'params.slashing.equivocation.tombstone'],
      ['reconfigure', () => resolveStakingParams({ reconfigure: 1 as never }), 'type', 'resolveStakingParams', 'params.reconfigure'],
      ['execute sender', () => m.execute('x' as never, stakingPayload.withdraw(), 1), 'type', 'ValidatorStateMachine.execute', 'sender'],
      ['execute height', () => m.execute(new Uint8Array(32), stakingPayload.withdraw(), 0), 'range', 'ValidatorStateMachine.execute', 'height'],
      ['endBlock backwards', () => (m.endBlock(5), m.endBlock(4)), 'range', 'ValidatorStateMachine.endBlock', 'height'],
      ['result', () => decodeStakingResult([0] as never), 'type', 'decodeStakingResult', 'bytes'],
      ['restore', () => m.restore('x' as never), 'type', 'ValidatorStateMachine.restore', 'snapshot'],
    ];
    expectRefusals(rows);
  });

  it('routes staking payloads to the state machine and the rest to the inner application; snapshots hold both', () => {
    const { genesis: g, parties } = genesis();
    const app = new ValidatorApplication(g, new KeyValueStore());
    const alice = parties[4].account;
    const sign = (nonce: number, payload: Uint8Array) => signTransaction({ chainId: g.chainId, nonce, payload }, alice.secretKey);
    expect(decodeStakingResult(app.execute(sign(1, stakingPayload.transfer(parties[5].account.publicKey, 10n)), 1))).toEqual({ ok: true });
    expect(new TextDecoder().decode(app.execute(sign(2, kvSet('colour', 'blue')), 1))).toBe('');
    app.endBlock(1);
    const copy = new ValidatorApplication(g, new KeyValueStore());
    copy.restore(app.snapshot());
    expect(copy.stateRoot()).toEqual(app.stateRoot());
    expect(new TextDecoder().decode(copy.execute(sign(3, kvSet('colour', 'red')), 2))).toBe('blue');
    // Without an inner application anything else is a malformed staking transaction.
    const alone = new ValidatorApplication(g);
    expect(decodeStakingResult(alone.execute(sign(1, kvSet('a', 'b')), 1))).toEqual({ ok: false, reason: 'malformed' });
    expect(() => alone.restore(app.snapshot())).toThrow(DecodeError);
  });
});

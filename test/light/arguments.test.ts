import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LightClient, LightClientClosedError, validatorSetFromGenesis, WebSocketUnavailableError } from '../../src/light/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { certifiedChain } from '../_support/certifiedChain.js';
import { Gateway } from '../_support/gateway.js';
import { expectRefusals, expectRejection, type Refusal } from '../_support/refusals.js';

// Wrong arguments: a TypeError or RangeError (src/check) naming the function and the argument;
// the client's own conditions: its typed errors with stable codes.

const chain = certifiedChain(1);
const set = chain.set;
const key = set.validators[0];
let g: Gateway;
beforeAll(async () => {
  g = await Gateway.start(chain.blocks);
});
afterAll(async () => {
  await g?.close();
});

const open = (options: unknown) => () => LightClient.open(options as never);
const withOption = (name: string, value: unknown) => open({ validatorSet: set, sources: [g.url], [name]: value });
const withSet = (value: unknown) => withOption('validatorSet', value);

describe('light client argument errors', () => {
  it('LightClient.open names itself and the option', async () => {
    const where = 'LightClient.open';
    const rows: [string, () => Promise<unknown>, 'type' | 'range', string, string?][] = [
      ['options missing', open(undefined), 'type', 'options', 'must be an object'],
      ['options 5', open(5), 'type', 'options'],
      ['unknown option', withOption('timeout', 5), 'type', 'options.timeout', "did you mean 'timeoutMs'?"],
      ['validatorSet missing', withSet(undefined), 'type', 'options.validatorSet'],
      ['chainId number', withSet({ chainId: 5, validators: [key] }), 'type', 'options.validatorSet.chainId'],
      ['chainId empty', withSet({ chainId: '', validators: [key] }), 'range', 'options.validatorSet.chainId'],
      ['epoch 1.5', withSet({ ...set, epoch: 1.5 }), 'range', 'options.validatorSet.epoch'],
      ['validators none', withSet({ chainId: 'c', validators: [] }), 'range', 'options.validatorSet.validators', 'at least one key'],
      ['validator key string', withSet({ chainId: 'c', validators: ['ab'] }), 'type', 'options.validatorSet.validators[0]'],
      ['validator key 31 bytes', withSet({ chainId: 'c', validators: [key.subarray(1)] }), 'range', 'options.validatorSet.validators[0]', 'must be 32 bytes, got 31'],
      ['sources missing', open({ validatorSet: set }), 'type', 'options.sources'],
      ['sources empty', withOption('sources', []), 'range', 'options.sources', 'at least one source'],
      ['source number', withOption('sources', [5]), 'type', 'options.sources[0]'],
      ['source not http', withOption('sources', ['ws://127.0.0.1:1']), 'range', 'options.sources[0]', 'http:// or https://'],
      ['storage without write', withOption('storage', {}), 'type', 'options.storage.write'],
      ['WebSocket not a class', withOption('WebSocket', 'ws'), 'type', 'options.WebSocket'],
      ['timeoutMs 0', withOption('timeoutMs', 0), 'range', 'options.timeoutMs'],
      ['timeoutMs 1.5', withOption('timeoutMs', 1.5), 'range', 'options.timeoutMs'],
      ['timeoutMs string', withOption('timeoutMs', '5'), 'type', 'options.timeoutMs'],
      ['checkpoint height 0', withOption('checkpoint', { height: 0, hash: chain.blocks[0].hash }), 'range', 'options.checkpoint.height'],
      ['checkpoint hash 31 bytes', withOption('checkpoint', { height: 1, hash: chain.blocks[0].hash.subarray(1) }), 'range', 'options.checkpoint.hash', 'must be 32 bytes, got 31'],
      ['checkpoint hash not hex', withOption('checkpoint', { height: 1, hash: 'zz' }), 'range', 'options.checkpoint.hash', '64 hex digits'],
      ['checkpoint hash number', withOption('checkpoint', { height: 1, hash: 5 }), 'type', 'options.checkpoint.hash'],
    ];
    for (const [label, call, kind, argument, says] of rows) await expectRejection(call, kind, where, argument, says, label);
  });

  it('the methods name themselves and the argument; a promise rejects, never throws', async () => {
    const c = await LightClient.open({ validatorSet: set, sources: [g.url], storage: new MemoryStorage() });
    await expectRejection(() => c.header('1' as never), 'type', 'LightClient.header', 'height');
    await expectRejection(() => c.header(0), 'range', 'LightClient.header', 'height', '>= 1');
    await expectRejection(() => c.verifyTransaction(5 as never), 'type', 'LightClient.verifyTransaction', 'tx');
    await expectRejection(() => c.verifyTransaction('xyz'), 'range', 'LightClient.verifyTransaction', 'tx', '64 hex digits');
    await expectRejection(() => c.verifyTransaction(chain.txs[0], { waitMs: -1 }), 'range', 'LightClient.verifyTransaction', 'options.waitMs');
    await expectRejection(() => c.verifyTransaction(chain.txs[0], { waitMs: 30_001 }), 'range', 'LightClient.verifyTransaction', 'options.waitMs');
    await expectRejection(() => c.verifyTransaction(chain.txs[0], { wait: 5 } as never), 'type', 'LightClient.verifyTransaction', 'options.wait');
    const rows: Refusal[] = [
      ['onHeader', () => c.onHeader('x' as never), 'type', 'LightClient.onHeader', 'listener'],
      ['onLie', () => c.onLie(5 as never), 'type', 'LightClient.onLie', 'listener'],
      ['onFork', () => c.onFork(null as never), 'type', 'LightClient.onFork', 'listener'],
    ];
    expectRefusals(rows);
    await c.close();
  });

  it('validatorSetFromGenesis names itself and the field', () => {
    const where = 'validatorSetFromGenesis';
    const hex = Buffer.from(key).toString('hex');
    expectRefusals([
      ['genesis null', () => validatorSetFromGenesis(null), 'type', where, 'genesis'],
      ['chainId missing', () => validatorSetFromGenesis({ validators: [] }), 'type', where, 'genesis.chainId'],
      ['chainId too long', () => validatorSetFromGenesis({ chainId: 'x'.repeat(65), validators: [] }), 'range', where, 'genesis.chainId'],
      ['validators not a list', () => validatorSetFromGenesis({ chainId: 'c', validators: {} }), 'type', where, 'genesis.validators'],
      ['validators none', () => validatorSetFromGenesis({ chainId: 'c', validators: [] }), 'range', where, 'genesis.validators'],
      ['validator not an object', () => validatorSetFromGenesis({ chainId: 'c', validators: [hex] }), 'type', where, 'genesis.validators[0]'],
      ['key not hex', () => validatorSetFromGenesis({ chainId: 'c', validators: [{ consensusKey: 'zz' }] }), 'range', where, 'genesis.validators[0].consensusKey', '64 hex digits'],
    ]);
    expect(validatorSetFromGenesis({ chainId: 'c', validators: [{ consensusKey: hex.toUpperCase(), name: 'a' }] })).toEqual({ chainId: 'c', validators: [key] });
  });

  it('a closed client refuses everything with LightClientClosedError; follow without a WebSocket class: WebSocketUnavailableError', async () => {
    const c = await LightClient.open({ validatorSet: set, sources: [g.url] });
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    global.WebSocket = undefined; // as on Node 20, whatever runs the test
    try {
      expect(() => c.follow()).toThrow(WebSocketUnavailableError);
      expect(() => c.follow()).toThrow(expect.objectContaining({ code: 'ERR_LIGHT_NO_WEBSOCKET', message: expect.stringMatching(/^LightClient\.follow: .*options\.WebSocket/) }));
    } finally {
      global.WebSocket = saved;
    }
    await c.close();
    await c.close(); // twice is fine
    for (const [where, call] of [
      ['LightClient.sync', () => c.sync()],
      ['LightClient.header', () => c.header(1)],
      ['LightClient.verifyTransaction', () => c.verifyTransaction(chain.txs[0])],
    ] as const) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LightClientClosedError);
      expect(err).toMatchObject({ code: 'ERR_LIGHT_CLOSED', message: `${where}: the light client is closed` });
    }
    expect(() => c.follow()).toThrow(new LightClientClosedError('LightClient.follow'));
  });
});

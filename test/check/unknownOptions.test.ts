import { afterAll, describe, expect, it } from 'vitest';
import { init } from '../../src/backend/index.js';
import { Client, Replica } from '../../src/consensus/index.js';
import { requireOptions } from '../../src/check/index.js';
import { blake3, blake3Many, blake3Pairs, sha256Pairs } from '../../src/hash/index.js';
import { merkleRoot } from '../../src/merkle/index.js';
import { createPool } from '../../src/pool/index.js';
import { timeout } from '../../src/resilience/index.js';
import { ed25519, vrf } from '../../src/sig/index.js';
import { simulate } from '../../src/sim/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { decodeTransaction, signTransaction } from '../../src/tx/index.js';
import { expectMessage, expectRejection } from '../_support/refusals.js';
import { TestNetwork } from '../_support/testNetwork.js';

const sk = new Uint8Array(32).fill(1);

describe('unknown option keys are refused, naming the key (never silently ignored)', () => {
  const pool = createPool({ threads: 1, inlineBelow: 0 });
  afterAll(() => pool.close());

  const table: [string, () => unknown, string][] = [
    ["blake3 with noble's dkLen", () => blake3('x', { dkLen: 64 } as never), "blake3: options.dkLen is not an option (did you mean 'length'? expected one of 'length', 'key', 'context')"],
    ['blake3.create', () => blake3.create({ lenght: 64 } as never), "blake3.create: options.lenght is not an option (did you mean 'length'?"],
    ['blake3Many', () => blake3Many(['x'], { contxt: 'c' } as never), "blake3Many: options.contxt is not an option (did you mean 'context'?"],
    ['sha256Pairs', () => sha256Pairs(new Uint8Array(64), { prefx: 1 } as never), "sha256Pairs: options.prefx is not an option (did you mean 'prefix'?"],
    ['blake3Pairs', () => blake3Pairs(new Uint8Array(64), { zzz: 1 } as never), "blake3Pairs: options.zzz is not an option (expected one of 'prefix')"],
    ['merkleRoot', () => merkleRoot(['a'], { hsh: 'sha256' } as never), "merkleRoot: options.hsh is not an option (did you mean 'hash'?"],
    ['ed25519.verify', () => ed25519.verify(new Uint8Array(64), 'm', new Uint8Array(32), { strcit: true } as never), "ed25519.verify: options.strcit is not an option (did you mean 'strict'?"],
    ['ed25519.verifyBatch', () => ed25519.verifyBatch([], { rng: () => undefined } as never), "ed25519.verifyBatch: options.rng is not an option"],
    ['vrf.prove', () => vrf.prove('a', sk, { suit: 'TAI' } as never), "vrf.prove: options.suit is not an option (did you mean 'suite'?"],
    ['MemoryStorage', () => new MemoryStorage({ durable: 'manual' } as never), "MemoryStorage: options.durable is not an option"],
    ['signTransaction', () => signTransaction({ chainId: 'c', nonce: 1, payload: new Uint8Array(0) }, sk, { maxPayloadBytes: 1 } as never), 'signTransaction: options.maxPayloadBytes is not an option'],
    ['decodeTransaction', () => decodeTransaction(new Uint8Array(0), { chain: 'c' } as never), "decodeTransaction: options.chain is not an option"],
    ['simulate link', () => simulate({ seed: 1, duration: 0.1, link: { latencyMs: 2 } } as never), 'simulate: options.link.latencyMs is not an option'],
    ['createPool', () => createPool({ thread: 2 } as never), "createPool: options.thread is not an option (did you mean 'threads'?"],
    ['Replica config', () => new Replica({ ...new TestNetwork(4).config(0), batchsize: 8 } as never), "Replica: config.batchsize is not an option (did you mean 'batchSize'?"],
    ['Client options', () => new Client({ chainId: 'c', secretKey: sk, replicas: 4, lastSeq: 3 } as never), "Client: options.lastSeq is not an option"],
    ['simulate', () => simulate({ seed: 1, seeds: 3 } as never), "simulate: options.seeds is not an option (did you mean 'seed'?"],
    ['simulate replica', () => simulate({ seed: 1, replica: { maxPending: 3 } } as never), 'simulate: options.replica.maxPending is not an option'],
    ['timeout', () => timeout(async () => 1, 10, { resolution: 5 } as never), "timeout: options.resolution is not an option (did you mean 'resolutionMs'?"],
  ];
  for (const [name, call, message] of table) {
    it(name, () => {
      let thrown: unknown;
      try {
        call();
      } catch (err) {
        thrown = err;
      }
      expect(thrown, name).toBeInstanceOf(TypeError);
      expect((thrown as { code: string }).code).toBe('ERR_INVALID_ARG_TYPE');
      expect((thrown as Error).message).toContain(message);
    });
  }

  it('asynchronous functions reject the same way', async () => {
    await expectRejection(() => init({ backnd: 'scalar' } as never), 'type', 'init', 'options.backnd', "is not an option (did you mean 'backend'?");
    await expectRejection(() => pool.sha256Many(['x'], { sigal: undefined } as never), 'type', 'sha256Many', 'options.sigal', "did you mean 'signal'?");
    await expectRejection(() => pool.blake3Many(['x'], { dkLen: 64 } as never), 'type', 'blake3Many', 'options.dkLen', "did you mean 'length'?");
  });

  it('known keys, absent options and undefined values still pass', () => {
    expect(requireOptions(undefined, 'f', 'options', ['a'])).toEqual({});
    expect(requireOptions({ a: 1 }, 'f', 'options', ['a'])).toEqual({ a: 1 });
    expect(blake3('x', { length: 16 })).toHaveLength(16);
    expectMessage(() => requireOptions({ b: 1 }, 'f', 'options', []), 'type', "f: options.b is not an option (expected none)");
  });
});

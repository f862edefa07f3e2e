import { afterAll, describe, expect, it } from 'vitest';
import { init } from '../../src/backend/index.js';
import { Client, Replica } from '../../src/consensus/index.js';
import { requireOptions } from '../../src/check/index.js';
import { blake3, blake3Many, blake3Pairs, sha256Pairs } from '../../src/hash/index.js';
import { merkleRoot } from '../../src/merkle/index.js';
import { startRpc } from '../../src/node/index.js';
import { createPool } from '../../src/pool/index.js';
import {
  AdaptiveTimeout,
  Bulkhead,
  CircuitBreaker,
  FallbackPolicy,
  KeyedRateLimiter,
  PhiAccrualDetector,
  RateLimiter,
  ResilienceManager,
  retry,
  RetryPolicy,
  timeout,
  TimeoutPolicy,
} from '../../src/resilience/index.js';
import { ed25519, vrf } from '../../src/sig/index.js';
import { simulate } from '../../src/sim/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { decodeTransaction, signTransaction } from '../../src/tx/index.js';
import { resolveStakingParams } from '../../src/validators/index.js';
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
    ["ed25519.verify with noble's zip215", () => ed25519.verify(new Uint8Array(64), 'm', new Uint8Array(32), { zip215: false } as never), "ed25519.verify: options.zip215 is not an option (did you mean 'strict'? (ZIP-215 is the default; strict: true is zip215: false) expected one of 'strict')"],
    ["CircuitBreaker with opossum's resetTimeout", () => new CircuitBreaker({ resetTimeout: 30 } as never), "new CircuitBreaker: options.resetTimeout is not an option (did you mean 'openMs'?"],
    ["CircuitBreaker with cockatiel's halfOpenAfter", () => new CircuitBreaker({ halfOpenAfter: 30 } as never), "new CircuitBreaker: options.halfOpenAfter is not an option (did you mean 'openMs'?"],
    ['a key named like an Object.prototype member', () => blake3('x', JSON.parse('{"constructor": 1}')), "blake3: options.constructor is not an option (expected one of 'length', 'key', 'context')"],
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
    ['TimeoutPolicy', () => new TimeoutPolicy(10, { mod: 'aggressive' } as never), "new TimeoutPolicy: options.mod is not an option (did you mean 'mode'?"],
    ['AdaptiveTimeout', () => new AdaptiveTimeout({ minMs: 1, maxMs: 9, percentile: 0.9 } as never), 'new AdaptiveTimeout: options.percentile is not an option'],
    ['RetryPolicy', () => new RetryPolicy({ attempts: 5 } as never), 'new RetryPolicy: options.attempts is not an option'],
    ['RetryPolicy maxRetries', () => new RetryPolicy({ maxAttempt: 5 } as never), "new RetryPolicy: options.maxAttempt is not an option (did you mean 'maxAttempts'?"],
    ['retry', () => retry(async () => 1, { baseDelay: 5 } as never), 'retry: options.baseDelay is not an option'],
    ['PhiAccrualDetector', () => new PhiAccrualDetector({ treshold: 9 } as never), "new PhiAccrualDetector: options.treshold is not an option (did you mean 'threshold'?"],
    ['FallbackPolicy', () => new FallbackPolicy(() => 0, { whenever: () => true } as never), 'new FallbackPolicy: options.whenever is not an option'],
    ['Bulkhead', () => new Bulkhead({ maxConcurrent: 1, queue: 5 } as never), 'new Bulkhead: options.queue is not an option'],
    ['RateLimiter', () => new RateLimiter({ capacity: 1, refillPerSecond: 1, burst: 2 } as never), 'new RateLimiter: options.burst is not an option'],
    ['KeyedRateLimiter', () => new KeyedRateLimiter({ capacity: 1, refillPerSecond: 1, maxKey: 9 } as never), "new KeyedRateLimiter: options.maxKey is not an option (did you mean 'maxKeys'?"],
    ['CircuitBreaker', () => new CircuitBreaker({ halfOpenProbe: 2 } as never), "new CircuitBreaker: options.halfOpenProbe is not an option (did you mean 'halfOpenProbes'?"],
    ['CircuitBreaker decider', () => new CircuitBreaker({ decider: { kind: 'consecutive', failures: 3, windowMs: 5 } } as never), "new CircuitBreaker: options.decider.windowMs is not an option (expected one of 'kind', 'failures')"],
    ['CircuitBreaker statistical decider', () => new CircuitBreaker({ decider: { kind: 'statistical', baselineFailureRate: 0.1, alpha: 0.01, minimumCalls: 5, failureRateThreshold: 0.5 } } as never), 'new CircuitBreaker: options.decider.failureRateThreshold is not an option'],
    ['CircuitBreaker openMs', () => new CircuitBreaker({ openMs: { initialMs: 1, maxMs: 9, multiplier: 2 } } as never), 'new CircuitBreaker: options.openMs.multiplier is not an option'],
    ['CircuitBreaker.restore', () => CircuitBreaker.restore(new CircuitBreaker().toJSON(), { clok: () => 0 } as never), "CircuitBreaker.restore: options.clok is not an option (did you mean 'clock'?"],
    ['ResilienceManager', () => new ResilienceManager({ clocks: () => 0 } as never), "new ResilienceManager: options.clocks is not an option (did you mean 'clock'?"],
    ['ResilienceManager.breaker name', () => new ResilienceManager().breaker('db', { name: 'other' } as never), 'ResilienceManager.breaker: options.name is not an option'],
    ['ResilienceManager.timeout', () => new ResilienceManager().timeout('t', 5, { resolution: 1 } as never), 'ResilienceManager.timeout: options.resolution is not an option'],
    ['staking params rewardWeights', () => resolveStakingParams({ rewardWeights: { reputation: 5000, stake: 5000, uptime: 1 } } as never), 'resolveStakingParams: params.rewardWeights.uptime is not an option'],
    ['staking params committee', () => resolveStakingParams({ committee: { min: 4, max: 10, size: 7 } } as never), 'resolveStakingParams: params.committee.size is not an option'],
    ['Replica fastPathWindow', () => new Replica({ ...new TestNetwork(4).config(0), fastPathWindow: { min: 1, max: 5, mean: 3 } } as never), 'Replica: config.fastPathWindow.mean is not an option'],
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
    await expectRejection(() => pool.merkleRoot(['x'], { hsh: 'blake3' } as never), 'type', 'merkleRoot', 'options.hsh', "did you mean 'hash'?");
    await expectRejection(() => pool.run('sha256Many', ['x'], { length: 64 }), 'type', 'Pool.run', 'params.length', 'is not an option (expected none)');
    await expectRejection(() => pool.run('merkleRoot', ['x'], { hash: 'sha256', backend: 'simd' }), 'type', 'Pool.run', 'options.backend', 'is not an option');
    await expectRejection(() => new RateLimiter({ capacity: 1, refillPerSecond: 1 }).acquire(1, { timeout: 5 } as never), 'type', 'RateLimiter.acquire', 'options.timeout', "did you mean 'timeoutMs'?");
    await expectRejection(() => startRpc(undefined as never, { hots: '0.0.0.0' } as never), 'type', 'startRpc', 'options.hots', "did you mean 'host'?");
  });

  it('known keys, absent options and undefined values still pass', () => {
    expect(requireOptions(undefined, 'f', 'options', ['a'])).toEqual({});
    expect(requireOptions({ a: 1 }, 'f', 'options', ['a'])).toEqual({ a: 1 });
    expect(blake3('x', { length: 16 })).toHaveLength(16);
    expectMessage(() => requireOptions({ b: 1 }, 'f', 'options', []), 'type', "f: options.b is not an option (expected none)");
  });
});

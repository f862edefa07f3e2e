import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { createBackend } from '../backend/index.js';
import { createPool } from '../pool/index.js';
import type { BatchItem } from '../sig/index.js';
import { optional } from './dependencies.js';
import { measure, type Subject, table, timeRounds } from './harness.js';
import type { BenchContext, BenchReport, BenchSuite } from './suite.js';

interface Sodium {
  ready: Promise<void>;
  crypto_sign_seed_keypair(seed: Uint8Array): { privateKey: Uint8Array; publicKey: Uint8Array };
  crypto_sign_detached(message: Uint8Array, privateKey: Uint8Array): Uint8Array;
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}
interface TweetNacl {
  sign: {
    detached: ((message: Uint8Array, secretKey: Uint8Array) => Uint8Array) & {
      verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean;
    };
    keyPair: { fromSeed(seed: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } };
  };
}
interface Noble {
  ed25519: {
    sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
    verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  };
}

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function fmt(hz: number): string {
  return hz >= 100 ? Math.round(hz).toLocaleString('en-US') : hz.toFixed(1);
}

/** One message, a key pair and its signature in every library's key format. */
async function singleOps(context: BenchContext) {
  const simd = createBackend('simd');
  const scalar = createBackend('scalar');
  const seed = new Uint8Array(32).fill(7);
  const message = new Uint8Array(64).fill(1);
  const { publicKey } = simd.ed25519.generateKeyPair(seed);
  const signature = simd.ed25519.sign(message, seed);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKeyObject = createPublicKey(privateKey);
  const spki = Buffer.concat([SPKI_PREFIX, publicKey]);
  const sodium = (await optional<{ default: Sodium }>('libsodium-wrappers', context.progress))?.default;
  await sodium?.ready;
  const sodiumKeys = sodium?.crypto_sign_seed_keypair(seed);
  const nacl = (await optional<{ default: TweetNacl }>('tweetnacl', context.progress))?.default;
  const naclKeys = nacl?.sign.keyPair.fromSeed(seed);
  const noble = await optional<Noble>('@noble/curves/ed25519.js', context.progress);

  const sign: Subject[] = [
    { name: 'swarmguard simd', fn: () => simd.ed25519.sign(message, seed) },
    { name: 'swarmguard scalar', fn: () => scalar.ed25519.sign(message, seed) },
    { name: 'node:crypto (KeyObject)', fn: () => nodeSign(null, message, privateKey) },
    { name: 'node:crypto (raw key import per call)', fn: () => nodeSign(null, message, createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })) },
  ];
  const verify: Subject[] = [
    { name: 'swarmguard simd', fn: () => simd.ed25519.verify(signature, message, publicKey) },
    { name: 'swarmguard scalar', fn: () => scalar.ed25519.verify(signature, message, publicKey) },
    { name: 'swarmguard simd { strict }', fn: () => simd.ed25519.verify(signature, message, publicKey, { strict: true }) },
    { name: 'node:crypto (KeyObject)', fn: () => nodeVerify(null, message, publicKeyObject, signature) },
    { name: 'node:crypto (raw key import per call)', fn: () => nodeVerify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), signature) },
  ];
  if (sodium && sodiumKeys) {
    sign.push({ name: 'libsodium-wrappers', fn: () => sodium.crypto_sign_detached(message, sodiumKeys.privateKey) });
    verify.push({ name: 'libsodium-wrappers', fn: () => sodium.crypto_sign_verify_detached(signature, message, publicKey) });
  }
  if (noble) {
    sign.push({ name: '@noble/curves', fn: () => noble.ed25519.sign(message, seed) });
    verify.push({ name: '@noble/curves', fn: () => noble.ed25519.verify(signature, message, publicKey) });
  }
  if (nacl && naclKeys) {
    sign.push({ name: 'tweetnacl', fn: () => nacl.sign.detached(message, naclKeys.secretKey) });
    verify.push({ name: 'tweetnacl', fn: () => nacl.sign.detached.verify(message, signature, publicKey) });
  }
  context.progress('sign');
  const signed = measure(sign, context);
  context.progress('verify');
  const verified = measure(verify, context);
  return { signed, verified };
}

/** Signed 64-byte messages: `size` items, under `size` distinct keys or cycling through `signers` keys. */
function signedItems(sign: (message: Uint8Array, secretKey: Uint8Array) => Uint8Array, keys: { secretKey: Uint8Array; publicKey: Uint8Array }[], size: number): BatchItem[] {
  return Array.from({ length: size }, (_, i) => {
    const key = keys[i % keys.length];
    const message = new Uint8Array(64);
    new DataView(message.buffer).setUint32(0, i);
    return { signature: sign(message, key.secretKey), message, publicKey: key.publicKey };
  });
}

/**
 * verifyBatch per-signature rates, with every signature under its own key (the worst case:
 * client transactions) and with 32 signers (a consensus round: many votes per key, which the
 * batch coalesces). The pool runs as many calls as fit in one timed round.
 */
async function batches(context: BenchContext) {
  const simd = createBackend('simd');
  const scalar = createBackend('scalar');
  const sizes = [8, 64, 256, 1024];
  const allKeys = Array.from({ length: sizes[sizes.length - 1] }, () => simd.ed25519.generateKeyPair());
  const signers = allKeys.slice(0, 32);
  const pool = createPool({ threads: 2 });
  const keyObjects = new Map(allKeys.map((k) => [k.publicKey, createPublicKey({ key: Buffer.concat([SPKI_PREFIX, k.publicKey]), format: 'der', type: 'spki' })]));
  const results: { size: number; name: string; sigPerSec: number }[] = [];
  try {
    for (const size of sizes) {
      const distinct = signedItems(simd.ed25519.sign, allKeys.slice(0, size), size);
      const grouped = signedItems(simd.ed25519.sign, signers, size);
      context.progress(`verifyBatch of ${size}`);
      const subjects: Subject[] = [
        { name: 'swarmguard simd verifyBatch, distinct keys', fn: () => simd.ed25519.verifyBatch(distinct) },
        { name: 'swarmguard scalar verifyBatch, distinct keys', fn: () => scalar.ed25519.verifyBatch(distinct) },
        { name: 'swarmguard simd verifyBatch, 32 signers', fn: () => simd.ed25519.verifyBatch(grouped) },
        { name: 'swarmguard simd verify, one by one', fn: () => distinct.map((i) => simd.ed25519.verify(i.signature, i.message, i.publicKey)) },
        { name: 'node:crypto verify (KeyObject), one by one', fn: () => distinct.map((i) => nodeVerify(null, i.message as Uint8Array, keyObjects.get(i.publicKey)!, i.signature)) },
      ];
      for (const m of measure(subjects, context)) {
        results.push({ size, name: m.name, sigPerSec: m.hz * size });
      }
      const calls = Math.max(1, Math.ceil((context.quick ? 256 : 2048) / size));
      // Each worker has its own WASM instance, which V8 optimizes only after enough calls there.
      const warmUntil = performance.now() + 500;
      while (performance.now() < warmUntil) await pool.verifyBatch(distinct);
      const [timed] = await timeRounds(
        [{ name: 'swarmguard pool (2 threads) verifyBatch, distinct keys', fn: async () => { for (let c = 0; c < calls; c++) await pool.verifyBatch(distinct); } }],
        { runs: context.runs, progress: context.progress },
      );
      results.push({ size, name: timed.name, sigPerSec: (size * calls) / (timed.ms / 1000) });
    }
  } finally {
    await pool.close();
  }
  return results;
}

async function vrfOps(context: BenchContext) {
  const rows: { suite: string; name: string; op: string; hz: number }[] = [];
  for (const suite of ['ELL2', 'TAI'] as const) {
    const subjects: Subject[] = [];
    for (const backend of ['simd', 'scalar'] as const) {
      const { vrf, ed25519 } = createBackend(backend);
      const { secretKey, publicKey } = ed25519.generateKeyPair(new Uint8Array(32).fill(3));
      const alpha = new Uint8Array(32).fill(5);
      const proof = vrf.prove(alpha, secretKey, { suite });
      subjects.push({ name: `${backend} prove`, fn: () => vrf.prove(alpha, secretKey, { suite }) });
      subjects.push({ name: `${backend} verify`, fn: () => vrf.verify(proof, alpha, publicKey, { suite }) });
    }
    context.progress(`ECVRF ${suite}`);
    for (const m of measure(subjects, context)) {
      const [backend, op] = m.name.split(' ');
      rows.push({ suite, name: `swarmguard ${backend}`, op, hz: m.hz });
    }
  }
  return rows;
}

/** Calls per second of CPU time of this thread's process: less disturbed than wall time when other processes share the cores. */
function cpuRate(fn: () => unknown, cpuMs: number): number {
  fn();
  let calls = 0;
  const start = process.cpuUsage();
  let used = 0;
  while (used < cpuMs * 1000) {
    fn();
    calls++;
    const d = process.cpuUsage(start);
    used = d.user + d.system;
  }
  return calls / (used / 1e6);
}

/** Per-operation rates in CPU time, medians over rounds, side by side with node:crypto. */
function cpuTimes(context: BenchContext) {
  const simd = createBackend('simd');
  const seed = new Uint8Array(32).fill(9);
  const message = new Uint8Array(64).fill(2);
  const { publicKey } = simd.ed25519.generateKeyPair(seed);
  const signature = simd.ed25519.sign(message, seed);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKeyObject = createPublicKey(privateKey);
  const keys = Array.from({ length: 1024 }, () => simd.ed25519.generateKeyPair());
  const batch64 = signedItems(simd.ed25519.sign, keys.slice(0, 64), 64);
  const batch1024 = signedItems(simd.ed25519.sign, keys, 1024);
  const pi = simd.vrf.prove(message, seed);
  const subjects: { name: string; per: number; fn: () => unknown }[] = [
    { name: 'swarmguard simd sign', per: 1, fn: () => simd.ed25519.sign(message, seed) },
    { name: 'node:crypto sign (KeyObject)', per: 1, fn: () => nodeSign(null, message, privateKey) },
    { name: 'swarmguard simd verify', per: 1, fn: () => simd.ed25519.verify(signature, message, publicKey) },
    { name: 'node:crypto verify (KeyObject)', per: 1, fn: () => nodeVerify(null, message, publicKeyObject, signature) },
    { name: 'swarmguard simd verifyBatch of 64 (per signature)', per: 64, fn: () => simd.ed25519.verifyBatch(batch64) },
    { name: 'swarmguard simd verifyBatch of 1024 (per signature)', per: 1024, fn: () => simd.ed25519.verifyBatch(batch1024) },
    { name: 'swarmguard simd ECVRF-ELL2 prove', per: 1, fn: () => simd.vrf.prove(message, seed) },
    { name: 'swarmguard simd ECVRF-ELL2 verify', per: 1, fn: () => simd.vrf.verify(pi, message, publicKey) },
  ];
  const runs = subjects.map(() => [] as number[]);
  for (let round = 0; round < context.runs; round++) {
    subjects.forEach((s, i) => {
      runs[i].push(cpuRate(s.fn, context.quick ? 50 : 300) * s.per);
      context.progress(`  cpu round ${round + 1}/${context.runs} ${s.name}: ${runs[i][runs[i].length - 1].toFixed(0)}/s`);
    });
  }
  return subjects.map((s, i) => ({ name: s.name, perCpuSecond: [...runs[i]].sort((a, b) => a - b)[runs[i].length >> 1] }));
}

const suite: BenchSuite = {
  name: 'sig',
  sampled: true,
  description: 'Ed25519 sign / verify / verifyBatch and ECVRF prove / verify against node:crypto, libsodium-wrappers, @noble/curves, tweetnacl',
  async run(context: BenchContext): Promise<BenchReport> {
    const { signed, verified } = await singleOps(context);
    const batch = await batches(context);
    const vrf = await vrfOps(context);
    context.progress('CPU-time rates');
    const cpu = cpuTimes(context);
    const nodeKeyObject = verified.find((m) => m.name === 'node:crypto (KeyObject)')!.hz;
    const text = [
      'Ed25519 sign (64-byte message)',
      table(['library', 'sign/s'], signed.map((m) => [m.name, fmt(m.hz)])),
      '',
      'Ed25519 verify (64-byte message)',
      table(['library', 'verify/s', 'vs node:crypto KeyObject'], verified.map((m) => [m.name, fmt(m.hz), `${(m.hz / nodeKeyObject).toFixed(2)}x`])),
      '',
      'Ed25519 batch verification, signatures per second',
      table(
        ['batch', 'subject', 'sig/s', 'vs node:crypto one by one, same size'],
        batch.map((r) => {
          const node = batch.find((b) => b.size === r.size && b.name.startsWith('node:crypto'))!.sigPerSec;
          return [r.size, r.name, fmt(r.sigPerSec), `${(r.sigPerSec / node).toFixed(2)}x`];
        }),
      ),
      '',
      'ECVRF-EDWARDS25519-SHA512 (RFC 9381), 32-byte alpha',
      table(['suite', 'backend', 'operation', 'ops/s', 'ms each'], vrf.map((r) => [r.suite, r.name, r.op, fmt(r.hz), (1000 / r.hz).toFixed(3)])),
      '',
      'Per second of CPU time (one thread; steadier than wall time on a shared machine)',
      table(['operation', 'per CPU-second'], cpu.map((r) => [r.name, fmt(r.perCpuSecond)])),
    ].join('\n');
    return { text, results: { sign: signed, verify: verified, verifyBatch: batch, vrf, cpu } };
  },
};

export default suite;

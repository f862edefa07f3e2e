import { createHash, hash as nodeHash } from 'node:crypto';
import { type Backend, createBackend, features } from '../backend/index.js';
import { optional } from './dependencies.js';
import { measure, type Subject, table } from './harness.js';
import type { BenchContext, BenchReport, BenchSuite } from './suite.js';

type Algo = 'blake3' | 'sha256' | 'sha512';
type OneShot = (data: Uint8Array) => unknown;

interface HashWasm {
  createBLAKE3(): Promise<WasmHasher>;
  createSHA256(): Promise<WasmHasher>;
  createSHA512(): Promise<WasmHasher>;
}
interface WasmHasher {
  init(): WasmHasher;
  update(data: Uint8Array): WasmHasher;
  digest(format: 'binary'): Uint8Array;
}
interface NobleHash {
  (data: Uint8Array): Uint8Array;
}

const KiB = 1024;
const MiB = 1024 * KiB;

function label(bytes: number): string {
  return bytes >= MiB ? `${bytes / MiB} MiB` : bytes >= KiB ? `${bytes / KiB} KiB` : `${bytes} B`;
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

/** Both backends; the simd one only where the host has WASM SIMD (its rows are then left out). */
function backends(progress: BenchContext['progress']): { simd: Backend | undefined; scalar: Backend } {
  const hasSimd = features().simd;
  if (!hasSimd) progress('  (no WASM SIMD on this host: swarmguard simd rows left out)');
  return { simd: hasSimd ? createBackend('simd') : undefined, scalar: createBackend('scalar') };
}

async function competitors(progress: BenchContext['progress']): Promise<Record<Algo, { name: string; fn: OneShot }[]>> {
  const { simd, scalar } = backends(progress);
  const hw = await optional<HashWasm>('hash-wasm', progress);
  const nobleSha2 = await optional<{ sha256: NobleHash; sha512: NobleHash }>('@noble/hashes/sha2.js', progress);
  const nobleBlake3 = await optional<{ blake3: NobleHash }>('@noble/hashes/blake3.js', progress);
  const hashWasm = async (make: (m: HashWasm) => Promise<WasmHasher>): Promise<OneShot | undefined> => {
    if (!hw) return undefined;
    const h = await make(hw);
    return (d) => h.init().update(d).digest('binary');
  };
  const rows = (entries: [string, OneShot | undefined][]) =>
    entries.filter((e): e is [string, OneShot] => e[1] !== undefined).map(([name, fn]) => ({ name, fn }));
  return {
    blake3: rows([
      ['swarmguard simd', simd && ((d) => simd.blake3(d))],
      ['swarmguard scalar', (d) => scalar.blake3(d)],
      ['hash-wasm', await hashWasm((m) => m.createBLAKE3())],
      ['@noble/hashes', nobleBlake3?.blake3],
    ]),
    sha256: rows([
      ['swarmguard simd', simd && ((d) => simd.sha256(d))],
      ['swarmguard scalar', (d) => scalar.sha256(d)],
      ['hash-wasm', await hashWasm((m) => m.createSHA256())],
      ['@noble/hashes', nobleSha2?.sha256],
      ['node:crypto', (d) => createHash('sha256').update(d).digest()],
    ]),
    sha512: rows([
      ['swarmguard simd', simd && ((d) => simd.sha512(d))],
      ['swarmguard scalar', (d) => scalar.sha512(d)],
      ['hash-wasm', await hashWasm((m) => m.createSHA512())],
      ['@noble/hashes', nobleSha2?.sha512],
      ['node:crypto', (d) => createHash('sha512').update(d).digest()],
    ]),
  };
}

/** Throughput of one-shot hashing per size: MB/s and the ratio to the scalar backend. */
async function throughput(context: BenchContext) {
  const sizes = context.quick ? [64, KiB, 64 * KiB, MiB] : [64, KiB, 64 * KiB, MiB, 16 * MiB];
  const all = await competitors(context.progress);
  const results: { algo: Algo; size: number; name: string; mbPerSec: number; runs: number[] }[] = [];
  const rows: (string | number)[][] = [];
  for (const algo of ['blake3', 'sha256', 'sha512'] as Algo[]) {
    for (const size of sizes) {
      const data = randomBytes(size);
      context.progress(`${algo} ${label(size)}`);
      const subjects: Subject[] = all[algo].map((c) => ({ name: c.name, fn: () => c.fn(data) }));
      const measured = measure(subjects, context);
      const scalarHz = measured.find((m) => m.name === 'swarmguard scalar')?.hz ?? NaN;
      for (const m of measured) {
        const mbPerSec = (m.hz * size) / 1e6;
        results.push({ algo, size, name: m.name, mbPerSec, runs: m.runs.map((hz) => (hz * size) / 1e6) });
        rows.push([algo, label(size), m.name, mbPerSec.toFixed(1), (m.hz / scalarHz).toFixed(2)]);
      }
    }
  }
  return { text: table(['hash', 'size', 'implementation', 'MB/s', 'x scalar'], rows), results };
}

/** Rate of 64-byte messages: one WASM call per batch against one call per message elsewhere. */
async function smallMessages(context: BenchContext) {
  const batch = 4096;
  const messages = Array.from({ length: batch }, () => randomBytes(64));
  const packed = new Uint8Array(batch * 64);
  messages.forEach((m, i) => packed.set(m, i * 64));
  const { simd, scalar } = backends(context.progress);
  const hw = await optional<HashWasm>('hash-wasm', context.progress);
  const hwSha = hw ? await hw.createSHA256() : undefined;
  const hwB3 = hw ? await hw.createBLAKE3() : undefined;
  const each = (fn: (m: Uint8Array) => unknown) => () => {
    for (let i = 0; i < batch; i++) fn(messages[i]);
  };
  const subjects: Subject[] = [
    ...(simd
      ? [
          { name: 'sha256 swarmguard simd sha256Pairs (packed)', fn: () => simd.sha256Pairs(packed) },
          { name: 'sha256 swarmguard simd sha256Many', fn: () => simd.sha256Many(messages) },
        ]
      : []),
    { name: 'sha256 swarmguard scalar sha256Pairs (packed)', fn: () => scalar.sha256Pairs(packed) },
    { name: 'sha256 swarmguard scalar sha256Many', fn: () => scalar.sha256Many(messages) },
    { name: 'sha256 node:crypto crypto.hash per message', fn: each((m) => nodeHash('sha256', m, 'buffer')) },
    ...(hwSha ? [{ name: 'sha256 hash-wasm per message', fn: each((m) => hwSha.init().update(m).digest('binary')) }] : []),
    ...(simd
      ? [
          { name: 'blake3 swarmguard simd blake3Pairs (packed)', fn: () => simd.blake3Pairs(packed) },
          { name: 'blake3 swarmguard simd blake3Many', fn: () => simd.blake3Many(messages) },
        ]
      : []),
    { name: 'blake3 swarmguard scalar blake3Pairs (packed)', fn: () => scalar.blake3Pairs(packed) },
    { name: 'blake3 swarmguard scalar blake3Many', fn: () => scalar.blake3Many(messages) },
    ...(hwB3 ? [{ name: 'blake3 hash-wasm per message', fn: each((m) => hwB3.init().update(m).digest('binary')) }] : []),
  ];
  context.progress(`64-byte messages, batches of ${batch}`);
  const measured = measure(subjects, context);
  const nodeRate = (measured.find((m) => m.name.startsWith('sha256 node:crypto'))?.hz ?? NaN) * batch;
  const results = measured.map((m) => ({ name: m.name, hashesPerSec: m.hz * batch, runs: m.runs.map((hz) => hz * batch) }));
  const rows = results.map((r) => [r.name, (r.hashesPerSec / 1e6).toFixed(2), (r.hashesPerSec / nodeRate).toFixed(2)]);
  return { text: table(['64-byte messages', 'M hashes/s', 'x node:crypto'], rows), results };
}

const suite: BenchSuite = {
  name: 'hash',
  sampled: true,
  description: 'BLAKE3, SHA-256, SHA-512 throughput (simd, scalar, hash-wasm, @noble/hashes, node:crypto) and 64-byte message rates',
  async run(context): Promise<BenchReport> {
    const big = await throughput(context);
    const small = await smallMessages(context);
    return { text: `${big.text}\n\n${small.text}`, results: { throughput: big.results, smallMessages: small.results } };
  },
};

export default suite;

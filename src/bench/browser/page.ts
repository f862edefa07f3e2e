// Runs inside Chromium (bundled for the browser by `bench browser`): the hash and signature races
// of the Node suites, in a page. Rates are medians of `runs` rounds, each timing a loop long
// enough (`minMs`) that performance.now()'s coarsening in browsers (5 µs when cross-origin
// isolated, as the bench serves the page) stays under 0.1 % of a round.
import { type Backend, createBackend, features, init } from '../../backend/index.js';
import { poolRows } from './poolRows.js';

/** One row: `rate` items (or MB for hashes) per second; the median of the rounds. */
export interface PageRow {
  group: string;
  subject: string;
  rate: number;
  unit: 'MB/s' | 'ops/s' | 'sig/s';
}

export interface PageConfig {
  runs: number;
  minMs: number;
  quick: boolean;
  /** Comparison libraries the bench could bundle, by module path on the page's server. */
  libraries: Record<string, string>;
}

type Step = () => unknown | Promise<unknown>;

/** Items per second of `step`, where one call handles `items` items (median of rounds). */
async function rate(step: Step, config: PageConfig, items = 1): Promise<number> {
  let n = 1;
  // Calibrate: double the loop until one round lasts minMs (the first calls also warm up the JIT).
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) await step();
    if (performance.now() - t >= config.minMs || n >= 1 << 24) break;
    n *= 2;
  }
  const rates: number[] = [];
  for (let r = 0; r < config.runs; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) await step();
    rates.push((n * items * 1000) / (performance.now() - t));
  }
  rates.sort((a, b) => a - b);
  return rates[rates.length >> 1];
}

function random(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

async function library<T>(config: PageConfig, name: string): Promise<T | undefined> {
  const path = config.libraries[name];
  return path === undefined ? undefined : ((await import(/* @vite-ignore */ path)) as T);
}

interface HashWasmModule {
  createBLAKE3(): Promise<{ init(): { update(d: Uint8Array): { digest(f: 'binary'): Uint8Array } } }>;
  createSHA256(): Promise<{ init(): { update(d: Uint8Array): { digest(f: 'binary'): Uint8Array } } }>;
}
type HashFn = (d: Uint8Array) => Uint8Array;

async function hashRows(config: PageConfig, simd: ReturnType<typeof createBackend>, scalar: ReturnType<typeof createBackend>): Promise<PageRow[]> {
  const hw = await library<HashWasmModule>(config, 'hash-wasm');
  const noble = await library<{ blake3: HashFn; sha256: HashFn }>(config, '@noble/hashes');
  const hwBlake3 = hw && (await hw.createBLAKE3());
  const hwSha256 = hw && (await hw.createSHA256());
  const sizes = config.quick ? [1024, 1 << 20] : [64, 1024, 1 << 20];
  const rows: PageRow[] = [];
  for (const size of sizes) {
    const data = random(size);
    const label = size >= 1 << 20 ? `${size >> 20} MiB` : size >= 1024 ? `${size >> 10} KiB` : `${size} B`;
    const subjects: [string, string, Step | undefined][] = [
      ['BLAKE3', 'swarmguard simd', () => simd.blake3(data)],
      ['BLAKE3', 'swarmguard scalar', () => scalar.blake3(data)],
      ['BLAKE3', 'hash-wasm', hwBlake3 && (() => hwBlake3.init().update(data).digest('binary'))],
      ['BLAKE3', '@noble/hashes', noble && (() => noble.blake3(data))],
      ['SHA-256', 'swarmguard simd', () => simd.sha256(data)],
      ['SHA-256', 'swarmguard scalar', () => scalar.sha256(data)],
      ['SHA-256', 'hash-wasm', hwSha256 && (() => hwSha256.init().update(data).digest('binary'))],
      ['SHA-256', '@noble/hashes', noble && (() => noble.sha256(data))],
      ['SHA-256', 'WebCrypto (async)', () => crypto.subtle.digest('SHA-256', data as BufferSource)],
    ];
    for (const [algo, subject, step] of subjects) {
      if (step) rows.push({ group: `${algo} ${label}`, subject, rate: (await rate(step, config)) * (size / 1e6), unit: 'MB/s' });
    }
  }
  return rows;
}

interface NobleEd25519 {
  ed25519: { sign(m: Uint8Array, sk: Uint8Array): Uint8Array; verify(s: Uint8Array, m: Uint8Array, pk: Uint8Array): boolean; getPublicKey(sk: Uint8Array): Uint8Array };
}

async function signatureRows(config: PageConfig, simd: ReturnType<typeof createBackend>, scalar: ReturnType<typeof createBackend>): Promise<PageRow[]> {
  const noble = (await library<NobleEd25519>(config, '@noble/curves'))?.ed25519;
  const batch = 64;
  const items = Array.from({ length: batch }, () => {
    const sk = random(32);
    const message = random(64);
    return { signature: simd.ed25519.sign(message, sk), message, publicKey: simd.ed25519.getPublicKey(sk), sk };
  });
  const [one] = items;
  const webKey = await crypto.subtle.importKey('raw', one.publicKey as BufferSource, { name: 'Ed25519' }, false, ['verify']).catch(() => undefined);
  const plain = items.map(({ signature, message, publicKey }) => ({ signature, message, publicKey }));
  const subjects: [string, string, Step | undefined, number][] = [
    ['Ed25519 sign (64 B)', 'swarmguard simd', () => simd.ed25519.sign(one.message, one.sk), 1],
    ['Ed25519 sign (64 B)', 'swarmguard scalar', () => scalar.ed25519.sign(one.message, one.sk), 1],
    ['Ed25519 sign (64 B)', '@noble/curves', noble && (() => noble.sign(one.message, one.sk)), 1],
    ['Ed25519 verify (64 B)', 'swarmguard simd', () => simd.ed25519.verify(one.signature, one.message, one.publicKey), 1],
    ['Ed25519 verify (64 B)', 'swarmguard scalar', () => scalar.ed25519.verify(one.signature, one.message, one.publicKey), 1],
    ['Ed25519 verify (64 B)', '@noble/curves', noble && (() => noble.verify(one.signature, one.message, one.publicKey)), 1],
    ['Ed25519 verify (64 B)', 'WebCrypto (async)', webKey && (() => crypto.subtle.verify({ name: 'Ed25519' }, webKey, one.signature as BufferSource, one.message as BufferSource)), 1],
    [`verifyBatch(${batch}), distinct keys`, 'swarmguard simd', () => simd.ed25519.verifyBatch(plain), batch],
    [`verifyBatch(${batch}), distinct keys`, 'swarmguard scalar', () => scalar.ed25519.verifyBatch(plain), batch],
  ];
  const rows: PageRow[] = [];
  for (const [group, subject, step, n] of subjects) {
    if (step) rows.push({ group, subject, rate: await rate(step, config, n), unit: n > 1 ? 'sig/s' : 'ops/s' });
  }
  return rows;
}

/** What the page reports about itself, beside the rows. */
export interface PageReport {
  userAgent: string;
  cores: number;
  crossOriginIsolated: boolean;
  features: ReturnType<typeof features>;
  rows: PageRow[];
}

/** The pool race alone, for the page that is not cross-origin isolated (`/?plain`). */
export async function runPool(config: PageConfig, simd?: Backend): Promise<PageRow[]> {
  await init({ backend: 'simd' }); // a page fetches the simd builds createBackend compiles
  return poolRows(simd ?? createBackend('simd'), config);
}

export async function run(config: PageConfig): Promise<PageReport> {
  // Both backends side by side in one page: a page fetches each build on demand, so init() loads
  // both first (simd last, to stay the default).
  await init({ backend: 'scalar' });
  await init({ backend: 'simd' });
  const simd = createBackend('simd');
  const scalar = createBackend('scalar');
  const rows = [
    ...(await hashRows(config, simd, scalar)),
    ...(await signatureRows(config, simd, scalar)),
    ...(await runPool(config, simd)),
  ];
  return { userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency, crossOriginIsolated: globalThis.crossOriginIsolated, features: features(), rows };
}

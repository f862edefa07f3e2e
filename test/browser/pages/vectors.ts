// Runs in Chromium (bundled by test/_support/browser.ts): the official vectors and differential
// checks of hashing, Merkle, Ed25519 and ECVRF, through the package as an app imports it. Each
// export installs a backend with `init` (the detected one, or one forced) and returns the cases
// that disagree — empty when all pass — with how many it checked, so the test names a failure.
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { ed25519 as noble } from '@noble/curves/ed25519.js';
import {
  blake3,
  blake3Many,
  bytesToHex,
  ed25519,
  features,
  hexToBytes,
  init,
  merkleRoot,
  MerkleTree,
  sha256,
  sha256Many,
  sha512,
  verifyConsistency,
  verifyInclusion,
  vrf,
} from 'swarmguard';
import { rng } from './rng.js';

type Backend = 'scalar' | 'simd' | 'detected';
export interface Outcome {
  backend: string;
  checked: number;
  wrong: string[];
}

async function use(backend: Backend): Promise<string> {
  return (await init(backend === 'detected' ? undefined : { backend })).backend;
}

async function vectors<T>(path: string): Promise<T> {
  const res = await fetch(`/vectors/${path}`);
  if (!res.ok) throw new Error(`/vectors/${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** What the page got, beside what the engine itself says (a SIMD probe validated here, not by the package). */
export async function featuresAfterInit(backend: Backend) {
  const simdProbe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]);
  const installed = await use(backend);
  return { installed, features: features(), engineSimd: WebAssembly.validate(simdProbe), crossOriginIsolated: globalThis.crossOriginIsolated };
}

/** Before any `init`: a browser bundle has no WASM build to compile yet. */
export function callBeforeInit() {
  try {
    return { digest: bytesToHex(sha256('abc')), features: features() };
  } catch (err) {
    const e = err as { name: string; code?: string; message: string };
    return { error: { name: e.name, code: e.code ?? '', message: e.message } };
  }
}

export async function hashVectors(backend: Backend): Promise<Outcome> {
  const got = await use(backend);
  const wrong: string[] = [];
  let checked = 0;
  const b3 = await vectors<{ key: string; context_string: string; cases: { input_len: number; hash: string; keyed_hash: string; derive_key: string }[] }>('blake3/test_vectors.json');
  const key = new TextEncoder().encode(b3.key);
  for (const c of b3.cases) {
    const m = Uint8Array.from({ length: c.input_len }, (_, i) => i % 251);
    const outLen = c.hash.length / 2;
    const pairs: [string, string][] = [
      [bytesToHex(blake3(m, { length: outLen })), c.hash],
      [bytesToHex(blake3(m, { key, length: outLen })), c.keyed_hash],
      [bytesToHex(blake3(m, { context: b3.context_string, length: outLen })), c.derive_key],
    ];
    for (const [i, [a, b]] of pairs.entries()) {
      checked++;
      if (a !== b) wrong.push(`blake3 ${['hash', 'keyed', 'derive'][i]} len ${c.input_len}`);
    }
  }
  type Sha = { msg?: string; repeat?: { byte: string; count: number }; lenBits: number; md: string };
  for (const [alg, fn] of [['sha256', sha256], ['sha512', sha512]] as const) {
    const file = await vectors<{ examples: Sha[]; shortMsg: { cases: Sha[] }; longMsg: { cases: Sha[] } }>(`sha/${alg}_vectors.json`);
    for (const c of [...file.examples, ...file.shortMsg.cases, ...file.longMsg.cases].filter((x) => x.lenBits % 8 === 0)) {
      const m = c.repeat ? new Uint8Array(c.repeat.count).fill(parseInt(c.repeat.byte, 16)) : hexToBytes(c.msg ?? '');
      checked++;
      if (bytesToHex(fn(m)) !== c.md) wrong.push(`${alg} ${c.lenBits} bits`);
    }
  }
  return { backend: got, checked, wrong };
}

/** Against WebCrypto's SHA-256/512 and @noble/hashes' BLAKE3, on seeded random lengths and batches. */
export async function hashDifferential(backend: Backend, seed: number): Promise<Outcome> {
  const got = await use(backend);
  const r = rng(seed);
  const wrong: string[] = [];
  let checked = 0;
  for (let i = 0; i < 40; i++) {
    const m = r.bytes(r.int(i < 20 ? 300 : 70_000));
    const [s256, s512] = await Promise.all([crypto.subtle.digest('SHA-256', m), crypto.subtle.digest('SHA-512', m)]);
    checked += 3;
    if (bytesToHex(sha256(m)) !== bytesToHex(new Uint8Array(s256))) wrong.push(`sha256 length ${m.length}`);
    if (bytesToHex(sha512(m)) !== bytesToHex(new Uint8Array(s512))) wrong.push(`sha512 length ${m.length}`);
    if (bytesToHex(blake3(m)) !== bytesToHex(nobleBlake3(m))) wrong.push(`blake3 length ${m.length}`);
  }
  const batch = Array.from({ length: 100 }, () => r.bytes(r.int(200)));
  const many256 = sha256Many(batch);
  const many3 = blake3Many(batch);
  for (const [i, m] of batch.entries()) {
    checked += 2;
    if (bytesToHex(many256[i]) !== bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', m)))) wrong.push(`sha256Many[${i}]`);
    if (bytesToHex(many3[i]) !== bytesToHex(nobleBlake3(m))) wrong.push(`blake3Many[${i}]`);
  }
  return { backend: got, checked, wrong };
}

export async function merkleVectors(backend: Backend): Promise<Outcome> {
  const got = await use(backend);
  type Inclusion = { leafIndex: number; treeSize: number; root: string; proof: string[] };
  type Consistency = { size1: number; size2: number; root1: string; root2: string; proof: string[] };
  const v = await vectors<{
    leaves: string[];
    roots: { values: string[] };
    allInclusionProofs: { cases: Inclusion[] };
    allConsistencyProofs: { cases: Consistency[] };
  }>('merkle/rfc6962_merkle_vectors.json');
  const leaves = v.leaves.map(hexToBytes);
  const tree = new MerkleTree();
  for (const leaf of leaves) tree.append(leaf);
  const wrong: string[] = [];
  let checked = 0;
  v.roots.values.forEach((root, n) => {
    checked++;
    if (bytesToHex(merkleRoot(leaves.slice(0, n))) !== root || bytesToHex(tree.rootAt(n)) !== root) wrong.push(`root of ${n}`);
  });
  for (const c of v.allInclusionProofs.cases) {
    checked++;
    const proof = tree.prove(c.leafIndex, c.treeSize);
    if (proof.path.map(bytesToHex).join() !== c.proof.join() || !verifyInclusion(proof, leaves[c.leafIndex], hexToBytes(c.root))) {
      wrong.push(`inclusion ${c.leafIndex}/${c.treeSize}`);
    }
  }
  for (const c of v.allConsistencyProofs.cases) {
    checked++;
    const proof = { hash: 'sha256', oldSize: c.size1, newSize: c.size2, path: c.proof.map(hexToBytes) } as const;
    if (!verifyConsistency(proof, hexToBytes(c.root1), hexToBytes(c.root2))) wrong.push(`consistency ${c.size1}→${c.size2}`);
  }
  return { backend: got, checked, wrong };
}

export async function ed25519Vectors(backend: Backend): Promise<Outcome> {
  const got = await use(backend);
  const wrong: string[] = [];
  let checked = 0;
  const rfc = await vectors<{ vectors: { name: string; secretKey: string; publicKey: string; message: string; signature: string }[] }>('ed25519/rfc8032_ed25519.json');
  for (const v of rfc.vectors) {
    checked++;
    const sk = hexToBytes(v.secretKey);
    const msg = hexToBytes(v.message);
    const sig = hexToBytes(v.signature);
    const pk = hexToBytes(v.publicKey);
    const ok =
      bytesToHex(ed25519.getPublicKey(sk)) === v.publicKey &&
      bytesToHex(ed25519.sign(msg, sk)) === v.signature &&
      ed25519.verify(sig, msg, pk, { strict: true }) &&
      ed25519.verifyBatch([{ signature: sig, message: msg, publicKey: pk }])[0] === true;
    if (!ok) wrong.push(`RFC 8032 ${v.name}`);
  }
  const wy = await vectors<{ testGroups: { publicKey: { pk: string }; tests: { tcId: number; msg: string; sig: string; result: string }[] }[] }>('ed25519/wycheproof_ed25519_test.json');
  const items = wy.testGroups.flatMap((g) => g.tests.map((t) => ({ t, item: { signature: hexToBytes(t.sig), message: hexToBytes(t.msg), publicKey: hexToBytes(g.publicKey.pk) } })));
  for (const { t, item } of items) {
    checked++;
    if (ed25519.verify(item.signature, item.message, item.publicKey, { strict: true }) !== (t.result === 'valid')) wrong.push(`Wycheproof tcId ${t.tcId}`);
  }
  const single = items.map(({ item }) => ed25519.verify(item.signature, item.message, item.publicKey));
  checked++;
  if (ed25519.verifyBatch(items.map(({ item }) => item)).join() !== single.join()) wrong.push('Wycheproof: verifyBatch differs from verify');
  const cctv = await vectors<{ number: number; key: string; sig: string; msg: string }[]>('ed25519/cctv_ed25519vectors.json');
  const enc = new TextEncoder();
  for (const c of cctv) {
    checked++;
    let want: boolean;
    try {
      want = noble.verify(hexToBytes(c.sig), enc.encode(c.msg), hexToBytes(c.key), { zip215: true });
    } catch {
      want = false;
    }
    if (ed25519.verify(hexToBytes(c.sig), c.msg, hexToBytes(c.key)) !== want) wrong.push(`CCTV ${c.number}`);
  }
  return { backend: got, checked, wrong };
}

/** Against @noble/curves and WebCrypto's Ed25519 on seeded keys and messages; batches with one bad item. */
export async function ed25519Differential(backend: Backend, seed: number): Promise<Outcome> {
  const got = await use(backend);
  const r = rng(seed);
  const wrong: string[] = [];
  let checked = 0;
  const items = [];
  for (let i = 0; i < 24; i++) {
    const sk = r.bytes(32);
    const msg = r.bytes(r.int(500));
    const pk = ed25519.getPublicKey(sk);
    const sig = ed25519.sign(msg, sk);
    checked++;
    if (bytesToHex(pk) !== bytesToHex(noble.getPublicKey(sk)) || bytesToHex(sig) !== bytesToHex(noble.sign(msg, sk))) wrong.push(`sign #${i}`);
    const key = await crypto.subtle.importKey('raw', pk as BufferSource, { name: 'Ed25519' }, false, ['verify']);
    checked++;
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, key, sig as BufferSource, msg as BufferSource))) wrong.push(`WebCrypto rejects our signature #${i}`);
    items.push({ signature: sig, message: msg, publicKey: pk });
  }
  const bad = r.int(items.length);
  const tampered = items.map((x, i) => (i === bad ? { ...x, message: Uint8Array.from([...x.message, 1]) } : x));
  checked++;
  const results = ed25519.verifyBatch(tampered);
  if (results.some((ok, i) => ok !== (i !== bad))) wrong.push(`verifyBatch with item ${bad} bad: ${results.join()}`);
  return { backend: got, checked, wrong };
}

export async function vrfVectors(backend: Backend): Promise<Outcome> {
  const got = await use(backend);
  const file = await vectors<{ suites: { suite_string: string; examples: { example: number; SK: string; PK: string; alpha: string; pi: string; beta: string }[] }[] }>('vrf/rfc9381_ecvrf_edwards25519.json');
  const wrong: string[] = [];
  let checked = 0;
  for (const s of file.suites) {
    const options = { suite: (s.suite_string === '03' ? 'TAI' : 'ELL2') as 'TAI' | 'ELL2' };
    for (const e of s.examples) {
      checked++;
      const pi = vrf.prove(hexToBytes(e.alpha), hexToBytes(e.SK), options);
      const beta = vrf.verify(hexToBytes(e.pi), hexToBytes(e.alpha), hexToBytes(e.PK), options);
      const flipped = hexToBytes(e.pi);
      flipped[40] ^= 1;
      if (bytesToHex(pi) !== e.pi || beta === null || bytesToHex(beta) !== e.beta || vrf.verify(flipped, hexToBytes(e.alpha), hexToBytes(e.PK), options) !== null) {
        wrong.push(`RFC 9381 example ${e.example} (${options.suite})`);
      }
    }
  }
  return { backend: got, checked, wrong };
}

/** Under a CSP: what `init()` does, then a call (both fail without 'wasm-unsafe-eval'). */
export async function underPolicy() {
  const describe = (err: unknown) => {
    const e = err as { name: string; code?: string; message: string };
    return { name: e.name, code: e.code ?? '', message: e.message };
  };
  let initialized: unknown;
  try {
    initialized = { backend: (await init()).backend };
  } catch (err) {
    initialized = describe(err);
  }
  let after: unknown;
  try {
    after = { digest: bytesToHex(sha256('abc')) };
  } catch (err) {
    after = describe(err);
  }
  return { initialized, after };
}

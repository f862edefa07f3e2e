// A plain recursive RFC 9162 §2.1 model (MTH, PATH, SUBPROOF written as the RFC states them),
// on node:crypto SHA-256 and @noble/hashes BLAKE3, to check the WASM trees against.
import { createHash } from 'node:crypto';
import { blake3 } from '@noble/hashes/blake3.js';

export type ModelHash = 'sha256' | 'blake3';

function h(hash: ModelHash, ...parts: Uint8Array[]): Uint8Array {
  if (hash === 'blake3') {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return blake3(all);
  }
  const c = createHash('sha256');
  for (const p of parts) c.update(p);
  return new Uint8Array(c.digest());
}

export const leafHashOf = (hash: ModelHash, leaf: Uint8Array) => h(hash, Uint8Array.of(0), leaf);
const nodeOf = (hash: ModelHash, l: Uint8Array, r: Uint8Array) => h(hash, Uint8Array.of(1), l, r);

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function mth(hash: ModelHash, d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return h(hash);
  if (d.length === 1) return leafHashOf(hash, d[0]);
  const k = split(d.length);
  return nodeOf(hash, mth(hash, d.slice(0, k)), mth(hash, d.slice(k)));
}

export function path(hash: ModelHash, m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = split(d.length);
  if (m < k) return [...path(hash, m, d.slice(0, k)), mth(hash, d.slice(k))];
  return [...path(hash, m - k, d.slice(k)), mth(hash, d.slice(0, k))];
}

function subproof(hash: ModelHash, m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(hash, d)];
  const k = split(d.length);
  if (m <= k) return [...subproof(hash, m, d.slice(0, k), b), mth(hash, d.slice(k))];
  return [...subproof(hash, m - k, d.slice(k), false), mth(hash, d.slice(0, k))];
}

export const consistency = (hash: ModelHash, m: number, d: Uint8Array[]) => subproof(hash, m, d, true);

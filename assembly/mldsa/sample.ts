// The samplers of FIPS 204 section 7.3: ExpandA (RejNTTPoly over SHAKE128), ExpandS
// (RejBoundedPoly over SHAKE256), ExpandMask and SampleInBall. Under SIMD, ExpandA and ExpandMask
// run two SHAKE streams at once (keccakF2): their inputs are all known up front.
import { keccakF } from "./keccakF";
import { keccakF2 } from "./keccakF2";
import { ETA, GAMMA1, K, L, POLY, Q, TAU, Z_BITS } from "./params";
import { unpackPoly } from "./poly";
import { SHAKE128_RATE, SHAKE256_RATE, spongeAbsorb, spongeFinalize, spongeReset, spongeSqueeze, SPONGE_SIZE } from "./shake";

const sponge = memory.data(<i32>SPONGE_SIZE, 16);
/** Two interleaved states (lane i of both at +16i). */
const sponge2 = memory.data(400, 16);
/** The rate bytes of each of the two states, laid out flat (+16: rejUniform reads 4 bytes past). */
const block2 = memory.data(2 * 168 + 16, 16);
const seed = memory.data(80, 8);
/** ExpandMask's output for one polynomial: at most 640 bytes (5 SHAKE256 blocks = 680). */
const maskBytes = memory.data(2 * 680, 8);

/** Parses 3-byte candidates of `len` bytes at `buf` into a from coefficient `ctr`; returns the new count. */
@inline function rejUniform(a: usize, ctr: i32, buf: usize, len: usize): i32 {
  let p: usize = 0;
  if (ASC_FEATURE_SIMD) {
    // Four candidates from 12 bytes at once; nearly every group is accepted whole (q / 2^23 >
    // 0.999), the rare one with a rejection goes through the scalar loop below. The 16-byte
    // loads read at most 4 bytes past the block, still inside the state or block buffer.
    const mask = i32x4.splat(0x7fffff);
    const q = i32x4.splat(Q);
    while (p + 12 <= len && ctr + 4 <= 256) {
      const bytes = v128.load(buf + p);
      const v = v128.and(i8x16.shuffle(bytes, bytes, 0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 10, 11, 12), mask);
      if (!i32x4.all_true(i32x4.lt_s(v, q))) break;
      v128.store(a + (<usize>ctr << 2), v);
      ctr += 4;
      p += 12;
    }
  }
  for (; p + 3 <= len && ctr < 256; p += 3) {
    const t = <i32>load<u16>(buf + p) | ((<i32>load<u8>(buf + p + 2) & 0x7f) << 16);
    if (t < Q) {
      store<i32>(a + (<usize>ctr << 2), t);
      ctr++;
    }
  }
  return ctr;
}

/** RejNTTPoly(rho || s || r) into a (algorithm 30): one entry of A, already in the NTT domain. */
function rejNttPoly(a: usize, rho: usize, s: i32, r: i32): void {
  spongeReset(sponge);
  memory.copy(seed, rho, 32);
  store<u8>(seed + 32, <u8>s);
  store<u8>(seed + 33, <u8>r);
  spongeAbsorb(sponge, SHAKE128_RATE, seed, 34);
  spongeFinalize(sponge, SHAKE128_RATE);
  let ctr = rejUniform(a, 0, sponge, SHAKE128_RATE);
  while (ctr < 256) {
    keccakF(sponge);
    ctr = rejUniform(a, ctr, sponge, SHAKE128_RATE);
  }
}

/** Absorbs the same-length seeds at `s0` and `s1` (shorter than a block) into the two states and pads. */
function absorb2(s0: usize, s1: usize, len: usize, rate: usize): void {
  memory.fill(sponge2, 0, 400);
  for (let i: usize = 0; i < len; i++) {
    const lane = sponge2 + ((i >> 3) << 4) + (i & 7);
    store<u8>(lane, load<u8>(s0 + i));
    store<u8>(lane + 8, load<u8>(s1 + i));
  }
  for (let half: usize = 0; half < 16; half += 8) {
    const at = sponge2 + ((len >> 3) << 4) + half + (len & 7);
    store<u8>(at, load<u8>(at) ^ 0x1f);
    const end = sponge2 + (((rate - 1) >> 3) << 4) + half + ((rate - 1) & 7);
    store<u8>(end, load<u8>(end) ^ 0x80);
  }
  keccakF2(sponge2);
}

/** Copies the rate bytes of both states out flat, to block2 and block2 + 168. */
function spill2(rate: usize): void {
  for (let w: usize = 0; w < rate >> 3; w++) {
    store<u64>(block2 + (w << 3), load<u64>(sponge2 + (w << 4)));
    store<u64>(block2 + 168 + (w << 3), load<u64>(sponge2 + (w << 4) + 8));
  }
}

/** Two entries of A at once: (r0, s0) to a0 and (r1, s1) to a1. */
function rejNttPoly2(a0: usize, a1: usize, rho: usize, s0: i32, r0: i32, s1: i32, r1: i32): void {
  memory.copy(seed, rho, 32);
  store<u8>(seed + 32, <u8>s0);
  store<u8>(seed + 33, <u8>r0);
  memory.copy(seed + 40, rho, 32);
  store<u8>(seed + 72, <u8>s1);
  store<u8>(seed + 73, <u8>r1);
  absorb2(seed, seed + 40, 34, SHAKE128_RATE);
  spill2(SHAKE128_RATE);
  let c0 = rejUniform(a0, 0, block2, SHAKE128_RATE);
  let c1 = rejUniform(a1, 0, block2 + 168, SHAKE128_RATE);
  while (c0 < 256 || c1 < 256) {
    keccakF2(sponge2);
    spill2(SHAKE128_RATE);
    c0 = rejUniform(a0, c0, block2, SHAKE128_RATE);
    c1 = rejUniform(a1, c1, block2 + 168, SHAKE128_RATE);
  }
}

/** ExpandA (algorithm 32): the k x l matrix, row-major, entry (r, s) at mat + (r*l + s) polys. */
export function expandA(mat: usize, rho: usize): void {
  const count = K * L;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 1 < count; i += 2) {
      rejNttPoly2(mat + <usize>i * POLY, mat + <usize>(i + 1) * POLY, rho, i % L, i / L, (i + 1) % L, (i + 1) / L);
    }
  }
  for (; i < count; i++) rejNttPoly(mat + <usize>i * POLY, rho, i % L, i / L);
}

/** RejBoundedPoly(rho' || nonce) into a (algorithm 31): coefficients in [-eta, eta]. */
function rejBoundedPoly(a: usize, rhoPrime: usize, nonce: i32): void {
  memory.copy(seed, rhoPrime, 64);
  store<u16>(seed + 64, <u16>nonce);
  spongeReset(sponge);
  spongeAbsorb(sponge, SHAKE256_RATE, seed, 66);
  spongeFinalize(sponge, SHAKE256_RATE);
  let ctr = 0;
  let p: usize = 0;
  while (ctr < 256) {
    if (p == SHAKE256_RATE) {
      keccakF(sponge);
      p = 0;
    }
    const b = <i32>load<u8>(sponge + p);
    p++;
    // Two candidates per byte. Which ones are rejected leaks nothing of the accepted values.
    for (let half = 0; half < 2 && ctr < 256; half++) {
      const z = half == 0 ? b & 15 : b >> 4;
      if (ETA == 2) {
        if (z < 15) {
          store<i32>(a + (<usize>ctr << 2), 2 - (z - ((205 * z) >> 10) * 5));
          ctr++;
        }
      } else if (z < 9) {
        store<i32>(a + (<usize>ctr << 2), 4 - z);
        ctr++;
      }
    }
  }
}

/** ExpandS (algorithm 33): s1 (l polys) and s2 (k polys). */
export function expandS(s1: usize, s2: usize, rhoPrime: usize): void {
  for (let r = 0; r < L; r++) rejBoundedPoly(s1 + <usize>r * POLY, rhoPrime, r);
  for (let r = 0; r < K; r++) rejBoundedPoly(s2 + <usize>r * POLY, rhoPrime, L + r);
}

/** ExpandMask (algorithm 34): y (l polys) from rho'' and the counter kappa. */
export function expandMask(y: usize, rhoPrime: usize, kappa: i32): void {
  const bytes = <usize>(32 * Z_BITS);
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    for (; r + 1 < L; r += 2) {
      memory.copy(seed, rhoPrime, 64);
      store<u16>(seed + 64, <u16>(kappa + r));
      memory.copy(maskBytes, rhoPrime, 64);
      store<u16>(maskBytes + 64, <u16>(kappa + r + 1));
      absorb2(seed, maskBytes, 66, SHAKE256_RATE);
      for (let off: usize = 0; off < bytes; off += SHAKE256_RATE) {
        if (off != 0) keccakF2(sponge2);
        spill2(SHAKE256_RATE);
        const take = min(SHAKE256_RATE, bytes - off);
        memory.copy(maskBytes + off, block2, take);
        memory.copy(maskBytes + 680 + off, block2 + 168, take);
      }
      unpackPoly(y + <usize>r * POLY, maskBytes, Z_BITS, GAMMA1, true);
      unpackPoly(y + <usize>(r + 1) * POLY, maskBytes + 680, Z_BITS, GAMMA1, true);
    }
  }
  for (; r < L; r++) {
    memory.copy(seed, rhoPrime, 64);
    store<u16>(seed + 64, <u16>(kappa + r));
    spongeReset(sponge);
    spongeAbsorb(sponge, SHAKE256_RATE, seed, 66);
    spongeFinalize(sponge, SHAKE256_RATE);
    spongeSqueeze(sponge, SHAKE256_RATE, maskBytes, bytes);
    unpackPoly(y + <usize>r * POLY, maskBytes, Z_BITS, GAMMA1, true);
  }
}

/** SampleInBall (algorithm 29): c with tau coefficients +-1, from c~ (public in both sign and verify). */
export function sampleInBall(c: usize, ctilde: usize, len: usize): void {
  memory.fill(c, 0, POLY);
  spongeReset(sponge);
  spongeAbsorb(sponge, SHAKE256_RATE, ctilde, len);
  spongeFinalize(sponge, SHAKE256_RATE);
  let signs = load<u64>(sponge);
  let p: usize = 8;
  for (let i = 256 - TAU; i < 256; i++) {
    let j: i32;
    do {
      if (p == SHAKE256_RATE) {
        keccakF(sponge);
        p = 0;
      }
      j = <i32>load<u8>(sponge + p);
      p++;
    } while (j > i);
    store<i32>(c + (<usize>i << 2), load<i32>(c + (<usize>j << 2)));
    store<i32>(c + (<usize>j << 2), 1 - 2 * <i32>(signs & 1));
    signs >>= 1;
  }
}

/** Clears the samplers' buffers: in signing they held rho'' and the bytes of y. */
export function wipeSamplers(): void {
  memory.fill(sponge, 0, SPONGE_SIZE);
  memory.fill(sponge2, 0, 400);
  memory.fill(block2, 0, 2 * 168 + 16);
  memory.fill(seed, 0, 80);
  memory.fill(maskBytes, 0, 2 * 680);
}

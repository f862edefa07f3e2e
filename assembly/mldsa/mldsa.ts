// ML-DSA (FIPS 204): ML-DSA.KeyGen_internal, Sign_internal and Verify_internal (algorithms 6-8)
// for the three parameter sets. The host builds M' (the domain byte, the context and the message)
// and passes it whole; every buffer is static, so the kernels never allocate.
import { invnttTomont, ntt, pointwise, pointwiseAcc } from "./ntt";
import { BETA, CTILDE, ETA, ETA_BITS, GAMMA1, GAMMA2, K, L, OMEGA, POLY, polyEtaBytes, polyW1Bytes, polyZBytes, publicKeyBytes, setLevel, W1_BITS, Z_BITS } from "./params";
import {
  packPoly, polyAdd, polyCaddq, polyChknorm, polyDecompose, polyMakeHint, polyPower2Round, polyReduce, polyShiftl, polySub, polyUseHint, unpackPoly,
} from "./poly";
import { expandA, expandMask, expandS, sampleInBall, wipeSamplers } from "./sample";
import { shake256, SHAKE256_RATE, spongeAbsorb, spongeFinalize, spongeReset, spongeSqueeze, SPONGE_SIZE } from "./shake";

const MAT = memory.data(8 * 7 * 1024, 16);
const S1 = memory.data(7 * 1024, 16);
const S2 = memory.data(8 * 1024, 16);
const T0 = memory.data(8 * 1024, 16);
const T1 = memory.data(8 * 1024, 16);
const Y = memory.data(7 * 1024, 16);
const Z = memory.data(7 * 1024, 16);
const W = memory.data(8 * 1024, 16);
const W0 = memory.data(8 * 1024, 16);
const W1 = memory.data(8 * 1024, 16);
const H = memory.data(8 * 1024, 16);
const CP = memory.data(1024, 16);
const TMP = memory.data(1024, 16);
const PACKED_W1 = memory.data(8 * 192, 8);
/** rho (32) || rho' (64) || K (32) in key generation; rho, K, tr in signing. */
const SEEDS = memory.data(128, 8);
const TR = memory.data(64, 8);
const MU = memory.data(64, 8);
const RHO2 = memory.data(64, 8);
const CTILDE2 = memory.data(64, 8);
const HS = memory.data(<i32>SPONGE_SIZE, 16);

@inline function poly(base: usize, i: i32): usize {
  return base + <usize>i * POLY;
}

/** dst = NTT(src) for the l polynomials of a vector (src kept). */
function nttOfVector(dst: usize, src: usize): void {
  memory.copy(dst, src, <usize>L * POLY);
  for (let j = 0; j < L; j++) ntt(poly(dst, j));
}

/** w = row i of A times the NTT-domain vector v, back in normal form (reduced, not yet in [0, q)). */
function rowTimes(w: usize, i: i32, v: usize): void {
  pointwiseAcc(w, poly(MAT, i * L), v, L);
  polyReduce(w);
  invnttTomont(w);
}

/** mu = H(tr || M', 64). */
function computeMu(msg: usize, msgLen: usize): void {
  spongeReset(HS);
  spongeAbsorb(HS, SHAKE256_RATE, TR, 64);
  spongeAbsorb(HS, SHAKE256_RATE, msg, msgLen);
  spongeFinalize(HS, SHAKE256_RATE);
  spongeSqueeze(HS, SHAKE256_RATE, MU, 64);
}

/** c~ = H(mu || w1Encode(w1), lambda/4) into `out`. */
function challengeHash(out: usize, w1: usize): void {
  const bytes = polyW1Bytes();
  for (let i = 0; i < K; i++) packPoly(PACKED_W1 + <usize>i * bytes, poly(w1, i), W1_BITS, 0, false);
  spongeReset(HS);
  spongeAbsorb(HS, SHAKE256_RATE, MU, 64);
  spongeAbsorb(HS, SHAKE256_RATE, PACKED_W1, <usize>K * bytes);
  spongeFinalize(HS, SHAKE256_RATE);
  spongeSqueeze(HS, SHAKE256_RATE, out, <usize>CTILDE);
}

/** KeyGen_internal (algorithm 6) from the 32-byte seed xi: pk and sk written out. 0 for a bad level. */
export function mldsaKeygen(level: i32, xi: usize, pk: usize, sk: usize): i32 {
  if (!setLevel(level)) return 0;
  memory.copy(SEEDS, xi, 32);
  store<u8>(SEEDS + 32, <u8>K);
  store<u8>(SEEDS + 33, <u8>L);
  shake256(HS, SEEDS, 128, SEEDS, 34);
  const rho = SEEDS;
  const rhoPrime = SEEDS + 32;
  const key = SEEDS + 96;
  expandA(MAT, rho);
  expandS(S1, S2, rhoPrime);
  nttOfVector(Y, S1);
  for (let i = 0; i < K; i++) {
    const t = poly(W, i);
    rowTimes(t, i, Y);
    polyAdd(t, t, poly(S2, i));
    polyCaddq(t);
    polyPower2Round(poly(T1, i), poly(T0, i), t);
  }
  memory.copy(pk, rho, 32);
  for (let i = 0; i < K; i++) packPoly(pk + 32 + <usize>i * 320, poly(T1, i), 10, 0, false);
  shake256(HS, TR, 64, pk, publicKeyBytes());
  memory.copy(sk, rho, 32);
  memory.copy(sk + 32, key, 32);
  memory.copy(sk + 64, TR, 64);
  let at = sk + 128;
  const etaBytes = polyEtaBytes();
  for (let j = 0; j < L; j++, at += etaBytes) packPoly(at, poly(S1, j), ETA_BITS, ETA, true);
  for (let i = 0; i < K; i++, at += etaBytes) packPoly(at, poly(S2, i), ETA_BITS, ETA, true);
  for (let i = 0; i < K; i++, at += 416) packPoly(at, poly(T0, i), 13, 1 << 12, true);
  wipe();
  return 1;
}

/**
 * Sign_internal (algorithm 7): signs M' (msg, msgLen bytes) with sk and the 32-byte rnd (zeros for
 * the deterministic variant) into sig. Returns 1, or 0 for a bad level, or -1 for a secret key
 * whose s1/s2 coefficients are out of range.
 */
export function mldsaSign(level: i32, sk: usize, msg: usize, msgLen: usize, rnd: usize, sig: usize): i32 {
  if (!setLevel(level)) return 0;
  const etaBytes = polyEtaBytes();
  let at = sk + 128;
  let most: u32 = 0;
  for (let j = 0; j < L; j++, at += etaBytes) most = max(most, unpackPoly(poly(S1, j), at, ETA_BITS, ETA, true));
  for (let i = 0; i < K; i++, at += etaBytes) most = max(most, unpackPoly(poly(S2, i), at, ETA_BITS, ETA, true));
  for (let i = 0; i < K; i++, at += 416) unpackPoly(poly(T0, i), at, 13, 1 << 12, true);
  if (most > <u32>(2 * ETA)) {
    wipe();
    return -1;
  }
  memory.copy(TR, sk + 64, 64);
  computeMu(msg, msgLen);
  // rho'' = H(K || rnd || mu, 64)
  spongeReset(HS);
  spongeAbsorb(HS, SHAKE256_RATE, sk + 32, 32);
  spongeAbsorb(HS, SHAKE256_RATE, rnd, 32);
  spongeAbsorb(HS, SHAKE256_RATE, MU, 64);
  spongeFinalize(HS, SHAKE256_RATE);
  spongeSqueeze(HS, SHAKE256_RATE, RHO2, 64);
  expandA(MAT, sk);
  for (let j = 0; j < L; j++) ntt(poly(S1, j));
  for (let i = 0; i < K; i++) {
    ntt(poly(S2, i));
    ntt(poly(T0, i));
  }
  const zBytes = polyZBytes();
  for (let kappa = 0; ; kappa += L) {
    expandMask(Y, RHO2, kappa);
    nttOfVector(Z, Y);
    for (let i = 0; i < K; i++) {
      const w = poly(W, i);
      rowTimes(w, i, Z);
      polyCaddq(w);
      polyDecompose(poly(W1, i), poly(W0, i), w);
    }
    challengeHash(sig, W1);
    sampleInBall(CP, sig, <usize>CTILDE);
    ntt(CP);
    // z = y + c*s1; the loop goes on (publicly) when a norm is too large: FIPS 204 accepts what
    // the number of iterations tells, since rejected candidates are never output.
    let reject: i32 = 0;
    for (let j = 0; j < L; j++) {
      const z = poly(Z, j);
      pointwise(z, CP, poly(S1, j));
      invnttTomont(z);
      polyAdd(z, z, poly(Y, j));
      polyReduce(z);
      reject |= polyChknorm(z, GAMMA1 - BETA);
    }
    let hints: i32 = 0;
    for (let i = 0; i < K; i++) {
      // r0 = LowBits(w - c*s2)
      pointwise(TMP, CP, poly(S2, i));
      invnttTomont(TMP);
      const w0 = poly(W0, i);
      polySub(w0, w0, TMP);
      polyReduce(w0);
      reject |= polyChknorm(w0, GAMMA2 - BETA);
      // c*t0, and the hints that undo its omission
      const h = poly(H, i);
      pointwise(h, CP, poly(T0, i));
      invnttTomont(h);
      polyReduce(h);
      reject |= polyChknorm(h, GAMMA2);
      polyAdd(w0, w0, h);
      hints += polyMakeHint(h, w0, poly(W1, i));
    }
    if (reject != 0 || hints > OMEGA) continue;
    let out = sig + <usize>CTILDE;
    for (let j = 0; j < L; j++, out += zBytes) packPoly(out, poly(Z, j), Z_BITS, GAMMA1, true);
    // HintBitPack (algorithm 20)
    memory.fill(out, 0, <usize>(OMEGA + K));
    let index = 0;
    for (let i = 0; i < K; i++) {
      const h = poly(H, i);
      for (let c = 0; c < 256; c++) {
        if (load<i32>(h + (<usize>c << 2)) != 0) {
          store<u8>(out + <usize>index, <u8>c);
          index++;
        }
      }
      store<u8>(out + <usize>(OMEGA + i), <u8>index);
    }
    wipe();
    return 1;
  }
}

/** HintBitUnpack (algorithm 21) of `y` into H; false for a malformed encoding. */
function unpackHints(y: usize): bool {
  memory.fill(H, 0, <usize>K * POLY);
  let index = 0;
  for (let i = 0; i < K; i++) {
    const end = <i32>load<u8>(y + <usize>(OMEGA + i));
    if (end < index || end > OMEGA) return false;
    const first = index;
    while (index < end) {
      const c = <i32>load<u8>(y + <usize>index);
      if (index > first && <i32>load<u8>(y + <usize>(index - 1)) >= c) return false;
      store<i32>(poly(H, i) + (<usize>c << 2), 1);
      index++;
    }
  }
  for (let i = index; i < OMEGA; i++) if (load<u8>(y + <usize>i) != 0) return false;
  return true;
}

/** Expands what verification needs of pk: A, tr = H(pk) and NTT(t1 * 2^d) into MAT, TR and T1. */
function loadPublicKey(pk: usize): void {
  expandA(MAT, pk);
  shake256(HS, TR, 64, pk, publicKeyBytes());
  for (let i = 0; i < K; i++) {
    const t = poly(T1, i);
    unpackPoly(t, pk + 32 + <usize>i * 320, 10, 0, false);
    polyShiftl(t);
    ntt(t);
  }
}

/** Verify_internal (algorithm 8) against the key loadPublicKey expanded last. */
function verifyLoaded(msg: usize, msgLen: usize, sig: usize): i32 {
  const zBytes = polyZBytes();
  for (let j = 0; j < L; j++) {
    const z = poly(Z, j);
    unpackPoly(z, sig + <usize>CTILDE + <usize>j * zBytes, Z_BITS, GAMMA1, true);
    if (polyChknorm(z, GAMMA1 - BETA) != 0) return 0;
  }
  if (!unpackHints(sig + <usize>CTILDE + <usize>L * zBytes)) return 0;
  computeMu(msg, msgLen);
  sampleInBall(CP, sig, <usize>CTILDE);
  ntt(CP);
  for (let j = 0; j < L; j++) ntt(poly(Z, j));
  for (let i = 0; i < K; i++) {
    const w = poly(W, i);
    pointwiseAcc(w, poly(MAT, i * L), Z, L);
    pointwise(TMP, CP, poly(T1, i));
    polySub(w, w, TMP);
    polyReduce(w);
    invnttTomont(w);
    polyCaddq(w);
    polyUseHint(poly(W1, i), w, poly(H, i));
  }
  challengeHash(CTILDE2, W1);
  let diff: u32 = 0;
  for (let i = 0; i < CTILDE; i++) diff |= <u32>(load<u8>(sig + <usize>i) ^ load<u8>(CTILDE2 + <usize>i));
  return <i32>(diff == 0);
}

/** Verify_internal of sig over M' under pk (lengths checked by the host). 1 valid, 0 not (or a bad level). */
export function mldsaVerify(level: i32, pk: usize, msg: usize, msgLen: usize, sig: usize): i32 {
  if (!setLevel(level)) return 0;
  loadPublicKey(pk);
  return verifyLoaded(msg, msgLen, sig);
}

/**
 * Verify_internal over n items described at `table` (u32 each: pk, sig, M' pointers and M'
 * length), one result byte each at `out`. A key equal to the previous item's is expanded once.
 */
export function mldsaVerifyBatch(level: i32, n: i32, table: usize, out: usize): i32 {
  if (!setLevel(level)) return 0;
  const pkBytes = publicKeyBytes();
  let loaded: usize = 0;
  for (let k = 0; k < n; k++) {
    const row = table + (<usize>k << 4);
    const pk = <usize>load<u32>(row);
    if (loaded == 0 || !sameBytes(loaded, pk, pkBytes)) {
      loadPublicKey(pk);
      loaded = pk;
    }
    store<u8>(out + <usize>k, <u8>verifyLoaded(<usize>load<u32>(row, 8), <usize>load<u32>(row, 12), <usize>load<u32>(row, 4)));
  }
  return 1;
}

function sameBytes(a: usize, b: usize, len: usize): bool {
  if (a == b) return true;
  for (let i: usize = 0; i < len; i += 8) if (load<u64>(a + i) != load<u64>(b + i)) return false;
  return true;
}

/**
 * Clears what held secrets: s1, s2, t0 and y (and w = Ay, from which y follows), c*s2, the seeds
 * and the sponges that absorbed them.
 */
function wipe(): void {
  memory.fill(W, 0, 8 * 1024);
  memory.fill(TMP, 0, 1024);
  wipeSamplers();
  memory.fill(S1, 0, 7 * 1024);
  memory.fill(S2, 0, 8 * 1024);
  memory.fill(T0, 0, 8 * 1024);
  memory.fill(Y, 0, 7 * 1024);
  memory.fill(Z, 0, 7 * 1024);
  memory.fill(W0, 0, 8 * 1024);
  memory.fill(SEEDS, 0, 128);
  memory.fill(RHO2, 0, 64);
  memory.fill(HS, 0, <usize>SPONGE_SIZE);
}

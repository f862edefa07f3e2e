// ECVRF-EDWARDS25519-SHA512-TAI (suite 0x03) and -ELL2 (suite 0x04), RFC 9381 §5 with the
// §5.5 parameters: cLen = 16, qLen = 32, points encoded as in RFC 8032 and decoded strictly.
// Proving uses the secret scalar only through constant-time multiplications and scalar
// arithmetic; encode_to_curve works on public data (PK and alpha).
import { sha512Final, sha512Init, sha512Update, SHA512_STATE_SIZE } from "../sha2/sha512";
import { ge_scalarmult_base } from "./basemul";
import { ge_double_scalarmult2_vartime, ge_double_scalarmult_vartime } from "./doublemul";
import { expandSeed, secretPrefix, secretScalar, sha512, wipeSecrets } from "./eddsa";
import { expandMessageXmd48, fieldFromWide, mapToCurve } from "./elligator";
import { fe_mul, fe_one } from "./field";
import { ge_frombytes, ge_has_small_order, ge_mul8, ge_neg, ge_tobytes, POINT } from "./point";
import { sc_is_canonical, sc_muladd, sc_reduce64, sc_wipe } from "./scalar";
import { ge_scalarmult_ct } from "./varmul";

export const SUITE_TAI: i32 = 3;
export const SUITE_ELL2: i32 = 4;

const state: usize = memory.data(<i32>SHA512_STATE_SIZE, 16);
const digest: usize = memory.data(64);
const byte: usize = memory.data(1);
const suiteByte: usize = memory.data(1);
const pointH: usize = memory.data(320);
const pointY: usize = memory.data(320);
const gamma: usize = memory.data(320);
const pointU: usize = memory.data(320);
const pointV: usize = memory.data(320);
const hBytes: usize = memory.data(32);
const yBytes: usize = memory.data(32);
const gBytes: usize = memory.data(32);
const uBytes: usize = memory.data(32);
const vBytes: usize = memory.data(32);
const k: usize = memory.data(32);
const kInput: usize = memory.data(64);
const c: usize = memory.data(32);
const uniform: usize = memory.data(48);
const fieldU: usize = memory.data(80);
// "ECVRF_" ‖ "edwards25519_XMD:SHA-512_ELL2_NU_" ‖ suite_string (RFC 9381 §5.5)
const DST: usize = memory.data<u8>([
  0x45, 0x43, 0x56, 0x52, 0x46, 0x5f, 0x65, 0x64, 0x77, 0x61, 0x72, 0x64, 0x73, 0x32, 0x35, 0x35, 0x31, 0x39, 0x5f,
  0x58, 0x4d, 0x44, 0x3a, 0x53, 0x48, 0x41, 0x2d, 0x35, 0x31, 0x32, 0x5f, 0x45, 0x4c, 0x4c, 0x32, 0x5f, 0x4e, 0x55,
  0x5f, 0x04,
]);
const DST_LEN: usize = 40;

@inline function updateByte(b: u8): void {
  store<u8>(byte, b);
  sha512Update(state, byte, 1);
}

/**
 * pointH = encode_to_curve(salt = pk, alpha) (§5.4.1.1 try-and-increment or §5.4.1.2
 * Elligator 2), already multiplied by the cofactor; hBytes = its encoding. Returns 0 only if
 * try-and-increment exhausts its 256 counters (probability 2^-256).
 */
function encodeToCurve(pk: usize, alpha: usize, alphaLen: usize, suite: i32): i32 {
  if (suite == SUITE_TAI) {
    let found = false;
    for (let ctr = 0; ctr < 256 && !found; ctr++) {
      sha512Init(state);
      updateByte(<u8>suite);
      updateByte(0x01);
      sha512Update(state, pk, 32);
      sha512Update(state, alpha, alphaLen);
      updateByte(<u8>ctr);
      updateByte(0x00);
      sha512Final(state, digest);
      found = ge_frombytes(pointH, digest, true) != 0;
    }
    if (!found) return 0;
  } else {
    expandMessageXmd48(uniform, pk, 32, alpha, alphaLen, DST, DST_LEN);
    fieldFromWide(fieldU, uniform);
    mapToCurve(pointH, pointH + 80, fieldU);
    fe_one(pointH + 160);
    fe_mul(pointH + 240, pointH, pointH + 80);
  }
  ge_mul8(pointH, pointH);
  ge_tobytes(hBytes, pointH);
  return 1;
}

/** c = first 16 bytes of SHA-512(suite ‖ 0x02 ‖ Y ‖ H ‖ Gamma ‖ U ‖ V ‖ 0x00), zero-padded to 32. */
function challenge(suite: i32, y: usize, h: usize, g: usize, u: usize, v: usize): void {
  sha512Init(state);
  updateByte(<u8>suite);
  updateByte(0x02);
  sha512Update(state, y, 32);
  sha512Update(state, h, 32);
  sha512Update(state, g, 32);
  sha512Update(state, u, 32);
  sha512Update(state, v, 32);
  updateByte(0x00);
  sha512Final(state, digest);
  memory.fill(c, 0, 32);
  memory.copy(c, digest, 16);
}

/** beta = SHA-512(suite ‖ 0x03 ‖ encode(8 Gamma) ‖ 0x00) for Gamma in `gamma`. */
function gammaToHash(beta: usize, suite: i32): void {
  ge_mul8(pointU, gamma);
  ge_tobytes(uBytes, pointU);
  sha512Init(state);
  updateByte(<u8>suite);
  updateByte(0x03);
  sha512Update(state, uBytes, 32);
  updateByte(0x00);
  sha512Final(state, beta);
}

/** pi (80 bytes) = Gamma ‖ c ‖ s for secret key sk (32-byte seed) and alpha (§5.1). Returns 1, or 0 if H was not found. */
export function vrfProve(pi: usize, sk: usize, alpha: usize, alphaLen: usize, suite: i32): i32 {
  return prove(pi, sk, alpha, alphaLen, suite, 0);
}

/**
 * `vrfProve`; if trace is nonzero it also receives H ‖ k ‖ U ‖ V (128 bytes). Only the test
 * build exports a traced entry (assembly/testing/), so the shipped one never writes the nonce out.
 */
export function prove(pi: usize, sk: usize, alpha: usize, alphaLen: usize, suite: i32, trace: usize): i32 {
  expandSeed(sk);
  const x = secretScalar();
  ge_scalarmult_base(pointY, x);
  ge_tobytes(yBytes, pointY);
  if (!encodeToCurve(yBytes, alpha, alphaLen, suite)) {
    wipeSecrets();
    return 0;
  }
  ge_scalarmult_ct(gamma, x, pointH);
  ge_tobytes(gBytes, gamma);
  // k = SHA-512(SHA-512(sk)[32..64) ‖ H) mod q (§5.4.2.2)
  memory.copy(kInput, secretPrefix(), 32);
  memory.copy(kInput + 32, hBytes, 32);
  sha512(digest, kInput, 64);
  sc_reduce64(k, digest);
  ge_scalarmult_base(pointU, k);
  ge_tobytes(uBytes, pointU);
  ge_scalarmult_ct(pointV, k, pointH);
  ge_tobytes(vBytes, pointV);
  challenge(suite, yBytes, hBytes, gBytes, uBytes, vBytes);
  memory.copy(pi, gBytes, 32);
  memory.copy(pi + 32, c, 16);
  sc_muladd(pi + 48, c, x, k);
  if (trace != 0) {
    memory.copy(trace, hBytes, 32);
    memory.copy(trace + 32, k, 32);
    memory.copy(trace + 64, uBytes, 32);
    memory.copy(trace + 96, vBytes, 32);
  }
  memory.fill(k, 0, 32);
  memory.fill(kInput, 0, 64);
  memory.fill(digest, 0, 64);
  memory.fill(state, 0, SHA512_STATE_SIZE);
  memory.fill(pointU, 0, POINT);
  memory.fill(pointV, 0, POINT);
  sc_wipe();
  wipeSecrets();
  return 1;
}

/** Decodes Gamma and checks s < q (§5.4.4 decode_proof); 1 if the proof is well-formed. */
function decodeProof(pi: usize): i32 {
  if (!ge_frombytes(gamma, pi, true)) return 0;
  return sc_is_canonical(pi + 48);
}

/** beta = proof_to_hash(pi) (§5.2) without verifying pi; 0 if pi does not decode. */
export function vrfProofToHash(beta: usize, pi: usize, suite: i32): i32 {
  if (!decodeProof(pi)) return 0;
  gammaToHash(beta, suite);
  return 1;
}

/**
 * 1 and beta = proof_to_hash(pi) if pi is a valid proof for pk and alpha (§5.3, with
 * validate_key: public keys of small order are rejected), else 0.
 */
export function vrfVerify(beta: usize, pk: usize, pi: usize, alpha: usize, alphaLen: usize, suite: i32): i32 {
  if (!ge_frombytes(pointY, pk, true) || ge_has_small_order(pointY)) return 0;
  if (!decodeProof(pi)) return 0;
  if (!encodeToCurve(pk, alpha, alphaLen, suite)) return 0;
  memory.fill(c, 0, 32);
  memory.copy(c, pi + 32, 16);
  // U = s B - c Y
  ge_neg(pointY, pointY);
  ge_double_scalarmult_vartime(pointU, c, pointY, pi + 48);
  ge_tobytes(uBytes, pointU);
  // V = s H - c Gamma
  ge_neg(pointV, gamma);
  ge_double_scalarmult2_vartime(pointV, pi + 48, pointH, c, pointV);
  ge_tobytes(vBytes, pointV);
  challenge(suite, pk, hBytes, pi, uBytes, vBytes);
  if (load<u64>(c) != load<u64>(pi + 32) || load<u64>(c, 8) != load<u64>(pi + 40)) return 0;
  gammaToHash(beta, suite);
  return 1;
}

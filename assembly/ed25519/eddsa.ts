// Ed25519 (RFC 8032 §5.1) key generation, signing and single verification over flat memory.
import { sha512Final, sha512Init, sha512Update, SHA512_STATE_SIZE } from "../sha2/sha512";
import { ge_scalarmult_base } from "./basemul";
import { ge_cofactored_check_vartime } from "./cofactored";
import { ge_double_scalarmult_vartime } from "./doublemul";
import {
  ge_frombytes, ge_has_small_order, ge_neg, ge_tobytes, ge_wipe, POINT,
} from "./point";
import { sc_is_canonical, sc_muladd, sc_reduce64, sc_wipe } from "./scalar";

// A private hash state, wiped after use: the shared one-shot state would keep the seed and nonce.
const hashState: usize = memory.data(<i32>SHA512_STATE_SIZE, 16);
const digest: usize = memory.data(64);

/** out = SHA-512 of len bytes at p. */
export function sha512(out: usize, p: usize, len: usize): void {
  sha512Init(hashState);
  sha512Update(hashState, p, len);
  sha512Final(hashState, out);
}
const scalarA: usize = memory.data(32);
const nonce: usize = memory.data(32);
const challenge: usize = memory.data(32);
const point: usize = memory.data(320);
const pointR: usize = memory.data(320);
const scratch: usize = memory.data(320);
const encoded: usize = memory.data(32);

/** scalarA = clamp(SHA-512(seed)[0..32]), digest[32..64] = prefix (RFC 8032 §5.1.5). */
export function expandSeed(seed: usize): void {
  sha512(digest, seed, 32);
  memory.copy(scalarA, digest, 32);
  store<u8>(scalarA, load<u8>(scalarA) & 248);
  store<u8>(scalarA + 31, (load<u8>(scalarA + 31) & 127) | 64);
}

/** The clamped secret scalar of the last `expandSeed`, and the 32-byte nonce prefix. */
export function secretScalar(): usize {
  return scalarA;
}
export function secretPrefix(): usize {
  return digest + 32;
}

/** Zeroes every static buffer that held secret material. */
export function wipeSecrets(): void {
  memory.fill(digest, 0, 64);
  memory.fill(scalarA, 0, 32);
  memory.fill(nonce, 0, 32);
  memory.fill(point, 0, POINT);
  memory.fill(hashState, 0, SHA512_STATE_SIZE);
  sc_wipe();
  ge_wipe();
}

/** out = the 32-byte public key of a 32-byte seed. */
export function ed25519PublicKey(out: usize, seed: usize): void {
  expandSeed(seed);
  ge_scalarmult_base(point, scalarA);
  ge_tobytes(out, point);
  wipeSecrets();
}

/**
 * out = R ‖ S, the 64-byte signature of the msgLen bytes at buf + 64 under seed. The kernel
 * uses buf[0..64) as room for prefix, R and A so each hash input is contiguous.
 */
export function ed25519Sign(out: usize, seed: usize, buf: usize, msgLen: usize): void {
  expandSeed(seed);
  // r = SHA-512(prefix ‖ M) mod L
  memory.copy(buf + 32, digest + 32, 32);
  sha512(digest, buf + 32, msgLen + 32);
  sc_reduce64(nonce, digest);
  // R = r B; A = a B
  ge_scalarmult_base(point, nonce);
  ge_tobytes(buf, point);
  ge_scalarmult_base(point, scalarA);
  ge_tobytes(buf + 32, point);
  // S = (r + SHA-512(R ‖ A ‖ M) a) mod L
  sha512(digest, buf, msgLen + 64);
  sc_reduce64(challenge, digest);
  memory.copy(out, buf, 32);
  sc_muladd(out + 32, challenge, scalarA, nonce);
  wipeSecrets();
}

export const VERIFY_STRICT: i32 = 1;

/**
 * 1 if s (32 bytes) completes a valid signature over buf = R ‖ A ‖ M (64 + msgLen bytes).
 * Default (ZIP-215): A and R may be non-canonical, [8](S B - h A - R) = 0. With VERIFY_STRICT
 * (RFC 8032 cofactorless): canonical encodings, A and R not of small order, S B - h A = R.
 */
export function ed25519Verify(s: usize, buf: usize, msgLen: usize, flags: i32): i32 {
  const strict = (flags & VERIFY_STRICT) != 0;
  if (!sc_is_canonical(s)) return 0;
  if (!ge_frombytes(point, buf + 32, strict)) return 0;
  if (!ge_frombytes(pointR, buf, strict)) return 0;
  if (strict && (ge_has_small_order(point) || ge_has_small_order(pointR))) return 0;
  sha512(digest, buf, msgLen + 64);
  sc_reduce64(challenge, digest);
  ge_neg(point, point);
  if (!strict) return ge_cofactored_check_vartime(scratch, challenge, point, s, pointR);
  ge_double_scalarmult_vartime(point, challenge, point, s);
  ge_tobytes(encoded, point);
  return <i32>(load<u64>(encoded, 0) == load<u64>(buf, 0) && load<u64>(encoded, 8) == load<u64>(buf, 8) &&
    load<u64>(encoded, 16) == load<u64>(buf, 16) && load<u64>(encoded, 24) == load<u64>(buf, 24));
}

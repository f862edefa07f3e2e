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

/** Decodes A into `point` and R into `pointR` and checks S; false when the signature cannot verify. */
function prepareVerify(s: usize, buf: usize, strict: bool): bool {
  if (!sc_is_canonical(s)) return false;
  if (!ge_frombytes(point, buf + 32, strict)) return false;
  if (!ge_frombytes(pointR, buf, strict)) return false;
  return !(strict && (ge_has_small_order(point) || ge_has_small_order(pointR)));
}

/** The verification equation for the decoded points, with `digest` = SHA-512(R ‖ A ‖ M). */
function checkEquation(s: usize, buf: usize, strict: bool): i32 {
  sc_reduce64(challenge, digest);
  ge_neg(point, point);
  if (!strict) return ge_cofactored_check_vartime(scratch, challenge, point, s, pointR);
  ge_double_scalarmult_vartime(point, challenge, point, s);
  ge_tobytes(encoded, point);
  return <i32>(load<u64>(encoded, 0) == load<u64>(buf, 0) && load<u64>(encoded, 8) == load<u64>(buf, 8) &&
    load<u64>(encoded, 16) == load<u64>(buf, 16) && load<u64>(encoded, 24) == load<u64>(buf, 24));
}

/**
 * 1 if s (32 bytes) completes a valid signature over buf = R ‖ A ‖ M (64 + msgLen bytes).
 * Default (ZIP-215): A and R may be non-canonical, [8](S B - h A - R) = 0. With VERIFY_STRICT
 * (RFC 8032 cofactorless): canonical encodings, A and R not of small order, S B - h A = R.
 */
export function ed25519Verify(s: usize, buf: usize, msgLen: usize, flags: i32): i32 {
  const strict = (flags & VERIFY_STRICT) != 0;
  if (!prepareVerify(s, buf, strict)) return 0;
  sha512(digest, buf, msgLen + 64);
  return checkEquation(s, buf, strict);
}

// Long messages are streamed: the host feeds M through a small window into a SHA-512 state block
// of its scratch (ed25519HashInit / ed25519HashUpdate), so memory does not grow with the message.
// The results are those of ed25519Sign and ed25519Verify over the whole message.

/** Bytes of the state block the streaming kernels take. */
export function ed25519HashStateSize(): usize {
  return SHA512_STATE_SIZE;
}

export function ed25519HashInit(state: usize): void {
  sha512Init(state);
}

export function ed25519HashUpdate(state: usize, p: usize, len: usize): void {
  sha512Update(state, p, len);
}

/** ed25519Verify with buf = R ‖ A (64 bytes) and `state` holding SHA-512 over R ‖ A ‖ M. */
export function ed25519VerifyFinish(s: usize, buf: usize, state: usize, flags: i32): i32 {
  const strict = (flags & VERIFY_STRICT) != 0;
  if (!prepareVerify(s, buf, strict)) return 0;
  sha512Final(state, digest);
  return checkEquation(s, buf, strict);
}

/** Streamed signing, step 1: `state` = SHA-512 over the seed's nonce prefix, ready for M. */
export function ed25519SignStart(state: usize, seed: usize): void {
  expandSeed(seed);
  sha512Init(state);
  sha512Update(state, digest + 32, 32);
  wipeSecrets();
}

/**
 * Step 2, once M is in `state`: r = SHA-512(prefix ‖ M) mod L into `rOut` (32 bytes, secret),
 * R ‖ A into `ra` (64 bytes), and `state` restarted over R ‖ A, ready for M again.
 */
export function ed25519SignCommit(state: usize, seed: usize, rOut: usize, ra: usize): void {
  sha512Final(state, digest);
  sc_reduce64(rOut, digest);
  expandSeed(seed);
  ge_scalarmult_base(point, rOut);
  ge_tobytes(ra, point);
  ge_scalarmult_base(point, scalarA);
  ge_tobytes(ra + 32, point);
  sha512Init(state);
  sha512Update(state, ra, 64);
  wipeSecrets();
}

/** Step 3, once M is in `state` again: S = (r + SHA-512(R ‖ A ‖ M) a) mod L into `sOut` (32 bytes). */
export function ed25519SignFinish(sOut: usize, state: usize, seed: usize, r: usize): void {
  sha512Final(state, digest);
  sc_reduce64(challenge, digest);
  expandSeed(seed);
  sc_muladd(sOut, challenge, scalarA, r);
  wipeSecrets();
}

// Scalars modulo L = 2^252 + 27742317777372353535851937790883648493, as 32-byte little-endian
// strings. Arithmetic works on signed 21-bit limbs held in i64 (weight 2^(21 i)) and folds
// limbs at 2^252 and above with 2^252 = -c (mod L), c written as six signed 21-bit limbs. No
// branch or index depends on the values, so the same code serves nonces and secret scalars.

const limbs: usize = memory.data(24 * 8);

@inline function get(i: usize): i64 {
  return load<i64>(limbs + (i << 3));
}
@inline function set(i: usize, v: i64): void {
  store<i64>(limbs + (i << 3), v);
}

/** Limb i (21 bits, from bit 21 i) of a little-endian byte string; `last` keeps every bit above. */
@inline function readLimb(p: usize, i: usize, last: bool): i64 {
  const bit = <u32>i * 21;
  const v = load<u32>(p + (bit >> 3)) >>> (bit & 7);
  return last ? <i64>v : <i64>(v & 0x1fffff);
}

/** s[i] = 0 after adding s[i] * (2^252 mod L) into s[i-12 .. i-7]. */
@inline function fold(i: usize): void {
  const v = get(i);
  set(i - 12, get(i - 12) + v * 666643);
  set(i - 11, get(i - 11) + v * 470296);
  set(i - 10, get(i - 10) + v * 654183);
  set(i - 9, get(i - 9) - v * 997805);
  set(i - 8, get(i - 8) + v * 136657);
  set(i - 7, get(i - 7) - v * 683901);
  set(i, 0);
}

/** Rounding carry from limb `from` to limb `to - 1` inclusive (leaves |s[i]| <= 2^20). */
@inline function carryRound(from: usize, to: usize): void {
  for (let i = from; i < to; i++) {
    const c = (get(i) + (1 << 20)) >> 21;
    set(i + 1, get(i + 1) + c);
    set(i, get(i) - (c << 21));
  }
}

/** Floor carry (leaves 0 <= s[i] < 2^21). */
@inline function carryFloor(from: usize, to: usize): void {
  for (let i = from; i < to; i++) {
    const c = get(i) >> 21;
    set(i + 1, get(i + 1) + c);
    set(i, get(i) & 0x1fffff);
  }
}

/** Reduces the 24 limbs (|s[i]| < 2^50) mod L and writes 32 bytes to `out`. */
function reduceLimbs(out: usize): void {
  carryRound(0, 23);
  for (let i: usize = 23; i >= 18; i--) fold(i);
  carryRound(6, 17);
  for (let i: usize = 17; i >= 12; i--) fold(i);
  carryRound(0, 12);
  fold(12);
  carryFloor(0, 12);
  fold(12);
  carryFloor(0, 11);
  // Pack twelve 21-bit limbs (252 bits) into four 64-bit words.
  let acc: u64 = 0;
  let bits: u32 = 0;
  let o: usize = 0;
  for (let i: usize = 0; i < 12; i++) {
    const v = <u64>get(i);
    acc |= v << bits;
    bits += 21;
    if (bits >= 64) {
      store<u64>(out + o, acc);
      o += 8;
      bits -= 64;
      acc = v >> (21 - bits);
    }
  }
  store<u64>(out + o, acc);
}

/** Zeroes the limb workspace (it last held a nonce or secret scalar). */
export function sc_wipe(): void {
  memory.fill(limbs, 0, 24 * 8);
}

/** out = s mod L for a 64-byte little-endian s (e.g. a SHA-512 digest). */
export function sc_reduce64(out: usize, s: usize): void {
  for (let i: usize = 0; i < 24; i++) set(i, readLimb(s, i, i == 23));
  reduceLimbs(out);
}

/** out = a * b + c mod L for 32-byte a, b, c (each < 2^256). */
export function sc_muladd(out: usize, a: usize, b: usize, c: usize): void {
  for (let i: usize = 0; i < 24; i++) set(i, 0);
  for (let i: usize = 0; i < 12; i++) {
    const ai = readLimb(a, i, i == 11);
    for (let j: usize = 0; j < 12; j++) set(i + j, get(i + j) + ai * readLimb(b, j, j == 11));
    set(i, get(i) + readLimb(c, i, i == 11));
  }
  reduceLimbs(out);
}

// L as four little-endian 64-bit words, most significant last.
const L0: u64 = 0x5812631a5cf5d3ed;
const L1: u64 = 0x14def9dea2f79cd6;
const L2: u64 = 0x0000000000000000;
const L3: u64 = 0x1000000000000000;

/** 1 if the 32-byte s is < L (a canonical scalar), else 0. Variable time: for public values. */
export function sc_is_canonical(s: usize): i32 {
  const w3 = load<u64>(s, 24), w2 = load<u64>(s, 16), w1 = load<u64>(s, 8), w0 = load<u64>(s, 0);
  if (w3 != L3) return <i32>(w3 < L3);
  if (w2 != L2) return <i32>(w2 < L2);
  if (w1 != L1) return <i32>(w1 < L1);
  return <i32>(w0 < L0);
}

/**
 * Writes the 64 signed radix-16 digits (each in [-8, 8], i32) of the 32-byte scalar at `a`
 * (a[31] <= 127) to `digits`: the recoding both constant-time ladders walk. Only shifts and
 * adds, so no branch depends on the (secret) scalar.
 */
export function sc_recode_radix16(digits: usize, a: usize): void {
  for (let i: usize = 0; i < 32; i++) {
    const byte = <i32>load<u8>(a + i);
    store<i32>(digits + i * 8, byte & 15);
    store<i32>(digits + i * 8 + 4, byte >> 4);
  }
  let carry: i32 = 0;
  for (let i: usize = 0; i < 63; i++) {
    const e = load<i32>(digits + i * 4) + carry;
    carry = (e + 8) >> 4;
    store<i32>(digits + i * 4, e - (carry << 4));
  }
  store<i32>(digits + 63 * 4, load<i32>(digits + 63 * 4) + carry);
}

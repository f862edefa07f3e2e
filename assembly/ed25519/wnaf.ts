// Width-w non-adjacent form for variable-time (public-scalar) multiplication: 256 signed
// digits (i8), each 0 or odd with |d| < 2^(w-1), at most one nonzero in any w consecutive.

/** Bits pos .. pos + 63 of the 256-bit little-endian scalar at s (zeros above bit 255). */
@inline function bitsAt(s: usize, pos: i32): u64 {
  const idx = pos >> 6;
  const bit = <u64>(pos & 63);
  let buf = load<u64>(s + (<usize>idx << 3)) >> bit;
  if (bit != 0 && idx < 3) buf |= load<u64>(s + (<usize>(idx + 1) << 3)) << (64 - bit);
  return buf;
}

/** Writes 256 digits of the 32-byte scalar s (< 2^253) to out; returns 1 + the top nonzero index (0 if s = 0). */
export function wnaf(out: usize, s: usize, w: i32): i32 {
  memory.fill(out, 0, 256);
  const width: u64 = 1 << w;
  const mask: u64 = width - 1;
  let carry: u64 = 0;
  let top: i32 = 0;
  let pos: i32 = 0;
  while (pos < 256) {
    const buf = bitsAt(s, pos);
    // Positions where bit + carry is even give digit 0: a run of zeros without carry, or of
    // ones with a carry (which passes through). Skip the whole run at once.
    const run = <i32>ctz(carry != 0 ? ~buf : buf);
    if (run != 0) {
      pos += run;
      continue;
    }
    const window = carry + (buf & mask);
    if (window < (width >> 1)) {
      carry = 0;
      store<i8>(out + pos, <i8>window);
    } else {
      carry = 1;
      store<i8>(out + pos, <i8>(<i64>window - <i64>width));
    }
    top = pos + 1;
    pos += w;
  }
  return top;
}

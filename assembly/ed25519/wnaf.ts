// Width-w non-adjacent form for variable-time (public-scalar) multiplication: 256 signed
// digits (i8), each 0 or odd with |d| < 2^(w-1), at most one nonzero in any w consecutive.

/** Writes 256 digits of the 32-byte scalar s (< 2^255) to out; returns 1 + the top nonzero index (0 if s = 0). */
export function wnaf(out: usize, s: usize, w: i32): i32 {
  memory.fill(out, 0, 256);
  const width: u64 = 1 << w;
  const mask: u64 = width - 1;
  let carry: u64 = 0;
  let top: i32 = 0;
  let pos: i32 = 0;
  while (pos < 256) {
    const idx = pos >> 6;
    const bit = <u64>(pos & 63);
    let buf: u64 = load<u64>(s + (idx << 3)) >> bit;
    if (bit + <u64>w > 64 && idx < 3) buf |= load<u64>(s + ((idx + 1) << 3)) << (64 - bit);
    const window = carry + (buf & mask);
    if ((window & 1) == 0) {
      pos++;
      continue;
    }
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

// Width-w non-adjacent form for variable-time (public-scalar) multiplication: 256 signed
// digits (i8), each 0 or odd with |d| < 2^(w-1), at most one nonzero in any w consecutive.

/** The scalar, zero-padded so that an 8-byte load at any bit position below 256 stays inside. */
const padded: usize = memory.data(48);

/**
 * The recoding: with `list`, out receives only the nonzero digits as (position u8, digit i8)
 * pairs and the count is returned; without, the 256 digits and 1 + the top nonzero index.
 */
@inline function recode(out: usize, s: usize, w: i32, list: bool): i32 {
  if (!list) memory.fill(out, 0, 256);
  memory.copy(padded, s, 32);
  const width: u64 = 1 << w;
  const mask: u64 = width - 1;
  let carry: u64 = 0;
  let top: i32 = 0;
  let count: i32 = 0;
  let pos: i32 = 0;
  while (pos < 256) {
    // At least 57 bits of the scalar from pos (a byte-aligned load shifted by pos & 7).
    let buf = load<u64>(padded + <usize>(pos >> 3)) >> <u64>(pos & 7);
    // Positions where bit + carry is even give digit 0: a run of zeros without carry, or of
    // ones with a carry (which passes through). Skip the whole run at once; the window that
    // follows is read from the same load unless the run ate too many of its bits.
    // At most 57 positions: the top bits of buf past them are the shift's zeros, not the scalar's.
    const run = <i32>min<u64>(ctz(buf ^ (0 - carry)), 57);
    pos += run;
    if (run > 57 - w) continue;
    if (pos >= 256) break;
    buf >>= <u64>run;
    // The bit at pos makes the window odd: a digit in [-(2^(w-1) - 1), 2^(w-1) - 1].
    const window = carry + (buf & mask);
    carry = window >> <u64>(w - 1);
    const digit = <i8>(<i64>window - <i64>(carry << <u64>w));
    if (list) {
      store<u8>(out + (<usize>count << 1), <u8>pos);
      store<i8>(out + (<usize>count << 1), digit, 1);
      count++;
    } else {
      store<i8>(out + pos, digit);
      top = pos + 1;
    }
    pos += w;
  }
  return list ? count : top;
}

/** Writes 256 digits of the 32-byte scalar s (< 2^253) to out; returns 1 + the top nonzero index (0 if s = 0). */
export function wnaf(out: usize, s: usize, w: i32): i32 {
  return recode(out, s, w, false);
}

/** The nonzero digits of s (< 2^253) as (position, digit) byte pairs at out, lowest first; returns their number (at most 128). */
export function wnafList(out: usize, s: usize, w: i32): i32 {
  return recode(out, s, w, true);
}

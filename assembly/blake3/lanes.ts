// Moving data between four byte-order blocks and the transposed i32x4 form of compress4
// (vector i holds word i of lanes 0..3). A 4x4 transpose is its own inverse.

/** Static room for 16 transposed message vectors and two sets of 8 chaining-value vectors. */
export const MSG: usize = memory.data(256, 16);
export const CV4: usize = memory.data(128, 16);
export const CV4_NEXT: usize = memory.data(128, 16);

// @ts-ignore: decorator
@inline
function transpose4(a: v128, b: v128, c: v128, d: v128, out: usize, stride: usize): void {
  const ab01 = i32x4.shuffle(a, b, 0, 4, 1, 5);
  const ab23 = i32x4.shuffle(a, b, 2, 6, 3, 7);
  const cd01 = i32x4.shuffle(c, d, 0, 4, 1, 5);
  const cd23 = i32x4.shuffle(c, d, 2, 6, 3, 7);
  v128.store(out, i64x2.shuffle(ab01, cd01, 0, 2));
  v128.store(out + stride, i64x2.shuffle(ab01, cd01, 1, 3));
  v128.store(out + 2 * stride, i64x2.shuffle(ab23, cd23, 0, 2));
  v128.store(out + 3 * stride, i64x2.shuffle(ab23, cd23, 1, 3));
}

/** Transposes the 64-byte blocks at p0..p3 into 16 message vectors at `out`. */
// @ts-ignore: decorator
@inline
export function loadBlocks4(p0: usize, p1: usize, p2: usize, p3: usize, out: usize): void {
  transpose4(v128.load(p0), v128.load(p1), v128.load(p2), v128.load(p3), out, 16);
  transpose4(v128.load(p0, 16), v128.load(p1, 16), v128.load(p2, 16), v128.load(p3, 16), out + 64, 16);
  transpose4(v128.load(p0, 32), v128.load(p1, 32), v128.load(p2, 32), v128.load(p3, 32), out + 128, 16);
  transpose4(v128.load(p0, 48), v128.load(p1, 48), v128.load(p2, 48), v128.load(p3, 48), out + 192, 16);
}

/** Transposes 8 chaining-value vectors at `cv` into four 32-byte values at out, out+stride, ... */
// @ts-ignore: decorator
@inline
export function storeCvs4(cv: usize, out: usize, stride: usize): void {
  transpose4(v128.load(cv), v128.load(cv, 16), v128.load(cv, 32), v128.load(cv, 48), out, stride);
  transpose4(v128.load(cv, 64), v128.load(cv, 80), v128.load(cv, 96), v128.load(cv, 112), out + 16, stride);
}

/** Broadcasts the `count` words at `words` into `count` vectors at `out`. */
export function splatWords4(words: usize, count: usize, out: usize): void {
  for (let i: usize = 0; i < count; i++) v128.store(out + (i << 4), i32x4.splat(load<u32>(words + (i << 2))));
}

/** Transposes 16 vectors at `v` (word i of four 64-byte blocks) into the blocks at out, out+64, ... */
export function storeBlocks4(v: usize, out: usize): void {
  for (let q: usize = 0; q < 64; q += 16) {
    transpose4(v128.load(v + (q << 2)), v128.load(v + (q << 2), 16), v128.load(v + (q << 2), 32), v128.load(v + (q << 2), 48), out + q, 64);
  }
}

/** Low words of the chunk counters counter .. counter+3. */
export function counterLo4(counter: u64): v128 {
  const lo = <u32>counter;
  return i32x4(lo, lo + 1, lo + 2, lo + 3);
}

/** High words of the chunk counters counter .. counter+3 (carries where the low word wraps). */
export function counterHi4(counter: u64): v128 {
  return i32x4(<u32>(counter >> 32), <u32>((counter + 1) >> 32), <u32>((counter + 2) >> 32), <u32>((counter + 3) >> 32));
}

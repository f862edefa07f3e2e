/** A seeded xorshift for pages, so a failing case reproduces from the seed the test printed. */
export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  return { int: (n: number) => next() % n, bytes: (n: number) => Uint8Array.from({ length: n }, () => next() & 0xff) };
}

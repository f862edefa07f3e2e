// RFC 9162 §2.1.3.1 PATH and §2.1.4.1 SUBPROOF as lists of leaf ranges [lo, hi): each proof
// hash is the MTH of one range, listed from the leaf level upwards. Every range starts at a
// multiple of a power of two at least its width, the shape `merkleRangeHashes` folds.

/** The largest power of two strictly smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Ranges of the inclusion proof of leaf `index` in the tree of the first `size` leaves. */
export function inclusionRanges(index: number, size: number): number[] {
  const ranges: number[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      ranges.push(lo + k, hi);
      hi = lo + k;
    } else {
      ranges.push(lo, lo + k);
      lo += k;
    }
  }
  return reversePairs(ranges);
}

/** Ranges of the consistency proof between the trees of `oldSize` and `newSize` leaves (0 < oldSize ≤ newSize). */
export function consistencyRanges(oldSize: number, newSize: number): number[] {
  const ranges: number[] = [];
  let lo = 0;
  let hi = newSize;
  let whole = true;
  while (oldSize !== hi) {
    const k = splitPoint(hi - lo);
    if (oldSize <= lo + k) {
      ranges.push(lo + k, hi);
      hi = lo + k;
    } else {
      ranges.push(lo, lo + k);
      lo += k;
      whole = false;
    }
  }
  // SUBPROOF(m, D[m], false) = [MTH(D[m])]: the old tree's subtree is part of the proof unless
  // it is the whole old tree, whose root the verifier already has.
  if (!whole) ranges.push(lo, hi);
  return reversePairs(ranges);
}

function reversePairs(ranges: number[]): number[] {
  const out = new Array<number>(ranges.length);
  for (let i = 0; i < ranges.length; i += 2) {
    out[ranges.length - 2 - i] = ranges[i];
    out[ranges.length - 1 - i] = ranges[i + 1];
  }
  return out;
}

// Enumeration helpers of the new-view model checkers (newViewModel.ts, newViewModelSlots.ts):
// states are kept up to symmetry, so choices among equal replicas are multisets, not sequences.

/** `items` grouped by key, in order of first appearance. */
export function groupBy<T>(items: readonly T[], keyOf: (t: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const t of items) {
    const key = keyOf(t);
    const group = groups.get(key);
    if (group) group.push(t);
    else groups.set(key, [t]);
  }
  return [...groups.values()];
}

/** Every multiset of `k` items from `options` (indices non-decreasing). */
export function* multisets<T>(options: readonly T[], k: number, from = 0): Generator<T[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = from; i < options.length; i++) for (const rest of multisets(options, k - 1, i)) yield [options[i], ...rest];
}

/** Every sub-multiset of size `k` of `items` (items grouped by key, so equal ones are taken as counts). */
export function* subMultisets<T>(items: readonly T[], k: number, keyOf: (t: T) => string): Generator<T[]> {
  const list = groupBy(items, keyOf);
  function* pick(g: number, left: number): Generator<T[]> {
    if (g === list.length) {
      if (left === 0) yield [];
      return;
    }
    for (let take = Math.min(left, list[g].length); take >= 0; take--) for (const rest of pick(g + 1, left - take)) yield [...list[g].slice(0, take), ...rest];
  }
  yield* pick(0, k);
}

/** Every choice of one item from each list. */
export function* product<T>(lists: readonly (readonly T[])[]): Generator<T[]> {
  if (lists.length === 0) {
    yield [];
    return;
  }
  for (const first of lists[0]) for (const rest of product(lists.slice(1))) yield [first, ...rest];
}

// The host owns everything above the static data: it lays out inputs, outputs and hasher
// states there and grows the memory itself, so the kernels never allocate.
export function scratchBase(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}

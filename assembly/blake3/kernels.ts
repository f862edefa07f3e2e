// The BLAKE3 kernels exported from the WASM builds (re-exported by assembly/hash.ts).
// Pointers are byte addresses in scratch the host laid out; `key` 0 means the IV.
import { STATE_SIZE, finalize, init, stateUsed, update } from "./hasher";
import { hashMany, hashOne } from "./oneshot";
import { blake3HashPairs } from "./pairs";

/** Bytes of a hasher state block. */
export function blake3StateSize(): usize {
  return STATE_SIZE;
}

/**
 * A state block inside the module's static data, so the host can leave the most recently used
 * hasher's state in place between calls instead of copying it in and out each time.
 */
const RESIDENT: usize = memory.data(<i32>STATE_SIZE, 16);

export function blake3ResidentState(): usize {
  return RESIDENT;
}

/** Bytes of the state block at `state` that hold data (the rest need not be copied). */
export function blake3StateUsed(state: usize): usize {
  return stateUsed(state);
}

export function blake3Init(state: usize, key: usize, flags: u32): void {
  init(state, key, flags);
}

export function blake3Update(state: usize, input: usize, len: usize): void {
  update(state, input, len);
}

/** Writes `outLen` output bytes from output block `firstBlock` on; the state is left unchanged. */
export function blake3Finalize(state: usize, out: usize, outLen: usize, firstBlock: u32): void {
  finalize(state, out, outLen, firstBlock);
}

export function blake3Hash(input: usize, len: usize, key: usize, flags: u32, out: usize, outLen: usize): void {
  hashOne(input, len, key, flags, out, outLen);
}

export function blake3Many(buf: usize, table: usize, count: u32, key: usize, flags: u32, out: usize, outLen: usize): void {
  hashMany(buf, table, count, key, flags, out, outLen);
}

export function blake3Pairs(inPtr: usize, outPtr: usize, count: i32, prefix: i32): void {
  blake3HashPairs(inPtr, outPtr, count, prefix);
}

// SHAKE128 / SHAKE256 (FIPS 202) as sponges in caller-owned memory: 200 bytes of state, then the
// u32 byte position at +200. Absorb, finalize once, then squeeze; or read the rate bytes of the
// state in place and call keccakF for the next block, as the samplers do (no copy per block).
import { keccakF } from "./keccakF";

export const SHAKE128_RATE: usize = 168;
export const SHAKE256_RATE: usize = 136;
/** Bytes a sponge takes: the state and its position. */
export const SPONGE_SIZE: usize = 208;
const POS: usize = 200;

export function spongeReset(st: usize): void {
  memory.fill(st, 0, SPONGE_SIZE);
}

export function spongeAbsorb(st: usize, rate: usize, src: usize, len: usize): void {
  let pos = <usize>load<u32>(st, POS);
  let i: usize = 0;
  while (i < len) {
    if (pos == 0 && len - i >= rate) {
      // A whole block: xor it in a word at a time.
      for (let w: usize = 0; w < rate; w += 8) store<u64>(st + w, load<u64>(st + w) ^ load<u64>(src + i + w));
      keccakF(st);
      i += rate;
      continue;
    }
    store<u8>(st + pos, load<u8>(st + pos) ^ load<u8>(src + i));
    pos++;
    i++;
    if (pos == rate) {
      keccakF(st);
      pos = 0;
    }
  }
  store<u32>(st, <u32>pos, POS);
}

/** SHAKE's domain bits and the final pad bit; the state then holds the first output block. */
export function spongeFinalize(st: usize, rate: usize): void {
  const pos = <usize>load<u32>(st, POS);
  store<u8>(st + pos, load<u8>(st + pos) ^ 0x1f);
  store<u8>(st + rate - 1, load<u8>(st + rate - 1) ^ 0x80);
  keccakF(st);
  store<u32>(st, 0, POS);
}

export function spongeSqueeze(st: usize, rate: usize, out: usize, len: usize): void {
  let pos = <usize>load<u32>(st, POS);
  for (let i: usize = 0; i < len; i++) {
    if (pos == rate) {
      keccakF(st);
      pos = 0;
    }
    store<u8>(out + i, load<u8>(st + pos));
    pos++;
  }
  store<u32>(st, <u32>pos, POS);
}

/** SHAKE256(src[0..len)) → out[0..outLen), in the sponge at `st`. */
export function shake256(st: usize, out: usize, outLen: usize, src: usize, len: usize): void {
  spongeReset(st);
  spongeAbsorb(st, SHAKE256_RATE, src, len);
  spongeFinalize(st, SHAKE256_RATE);
  spongeSqueeze(st, SHAKE256_RATE, out, outLen);
}

// The extended output of a root node: 64-byte output blocks numbered by the output counter.
// The simd build produces four blocks per pass, one per lane.
import { compressXof } from "./compress";
import { compress4Xof } from "./compress4";
import { CV4, MSG, counterHi4, counterLo4, splatWords4, storeBlocks4 } from "./lanes";

/** The root node's input chaining value and (zero-padded) block, filled in by finalize. */
export const ROOT_CV: usize = memory.data(32, 16);
export const ROOT_BLOCK: usize = memory.data(64, 16);
const ROOT_OUT: usize = memory.data(64, 16);
const ROOT_OUT4: usize = memory.data(256, 16);

/** Output blocks of the root node in ROOT_CV / ROOT_BLOCK, numbered by the output counter. */
export function rootOutput(blockLen: u32, flags: u32, out: usize, outLen: usize, firstBlock: u64): void {
  let t = firstBlock;
  if (ASC_FEATURE_SIMD) {
    if (outLen >= 256) {
      // Four output blocks per pass: the same node in every lane, counters t .. t+3.
      splatWords4(ROOT_CV, 8, CV4);
      splatWords4(ROOT_BLOCK, 16, MSG);
      const len = i32x4.splat(blockLen);
      const f = i32x4.splat(flags);
      while (outLen >= 256) {
        compress4Xof(CV4, MSG, counterLo4(t), counterHi4(t), len, f, ROOT_OUT4);
        storeBlocks4(ROOT_OUT4, out);
        out += 256;
        outLen -= 256;
        t += 4;
      }
    }
  }
  while (outLen >= 64) {
    compressXof(ROOT_CV, ROOT_BLOCK, <u32>t, <u32>(t >> 32), blockLen, flags, out);
    out += 64;
    outLen -= 64;
    t++;
  }
  if (outLen > 0) {
    compressXof(ROOT_CV, ROOT_BLOCK, <u32>t, <u32>(t >> 32), blockLen, flags, ROOT_OUT);
    memory.copy(out, ROOT_OUT, outLen);
  }
}

// BLAKE3 constants (the BLAKE3 specification, section 2).
export const IV0: u32 = 0x6a09e667;
export const IV1: u32 = 0xbb67ae85;
export const IV2: u32 = 0x3c6ef372;
export const IV3: u32 = 0xa54ff53a;

/** The eight IV words, the key of the unkeyed modes. */
export const IV: usize = memory.data<u32>([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

// Domain flags.
export const CHUNK_START: u32 = 1;
export const CHUNK_END: u32 = 2;
export const PARENT: u32 = 4;
export const ROOT: u32 = 8;
export const KEYED_HASH: u32 = 16;
export const DERIVE_KEY_CONTEXT: u32 = 32;
export const DERIVE_KEY_MATERIAL: u32 = 64;

export const BLOCK_LEN: u32 = 64;
export const CHUNK_LEN: u32 = 1024;
export const OUT_LEN: u32 = 32;

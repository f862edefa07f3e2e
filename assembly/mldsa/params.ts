// The parameter set the current call runs with (FIPS 204, table 1), chosen by setLevel(44 | 65 | 87).
// Every size below follows from these.
export const Q: i32 = 8380417;
export const D: i32 = 13;
export const N: usize = 256;
/** One polynomial: 256 i32 coefficients. */
export const POLY: usize = 1024;

export let K: i32 = 4;
export let L: i32 = 4;
export let ETA: i32 = 2;
export let TAU: i32 = 39;
export let BETA: i32 = 78;
export let GAMMA1: i32 = 1 << 17;
export let GAMMA2: i32 = (Q - 1) / 88;
export let OMEGA: i32 = 80;
/** Bytes of c~ (lambda / 4). */
export let CTILDE: i32 = 32;
/** Bits per packed coefficient of s1/s2, z and w1. */
export let ETA_BITS: i32 = 3;
export let Z_BITS: i32 = 18;
export let W1_BITS: i32 = 6;

/** Sets the parameters of ML-DSA-`level`; false for a level that is not 44, 65 or 87. */
export function setLevel(level: i32): bool {
  if (level == 44) {
    K = 4; L = 4; ETA = 2; TAU = 39; BETA = 78; GAMMA1 = 1 << 17; GAMMA2 = (Q - 1) / 88; OMEGA = 80; CTILDE = 32;
  } else if (level == 65) {
    K = 6; L = 5; ETA = 4; TAU = 49; BETA = 196; GAMMA1 = 1 << 19; GAMMA2 = (Q - 1) / 32; OMEGA = 55; CTILDE = 48;
  } else if (level == 87) {
    K = 8; L = 7; ETA = 2; TAU = 60; BETA = 120; GAMMA1 = 1 << 19; GAMMA2 = (Q - 1) / 32; OMEGA = 75; CTILDE = 64;
  } else {
    return false;
  }
  ETA_BITS = ETA == 2 ? 3 : 4;
  Z_BITS = GAMMA1 == 1 << 17 ? 18 : 20;
  W1_BITS = GAMMA2 == (Q - 1) / 88 ? 6 : 4;
  return true;
}

@inline export function polyEtaBytes(): usize { return <usize>(32 * ETA_BITS); }
@inline export function polyZBytes(): usize { return <usize>(32 * Z_BITS); }
@inline export function polyW1Bytes(): usize { return <usize>(32 * W1_BITS); }
export function publicKeyBytes(): usize { return 32 + <usize>K * 320; }
export function secretKeyBytes(): usize { return 128 + <usize>(L + K) * polyEtaBytes() + <usize>K * 416; }
export function signatureBytes(): usize { return <usize>CTILDE + <usize>L * polyZBytes() + <usize>(OMEGA + K); }

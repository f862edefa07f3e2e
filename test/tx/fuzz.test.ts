import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { DEFAULT_MAX_PAYLOAD, decodeTransaction, parseTransaction, signTransaction, type Transaction, TransactionError } from '../../src/tx/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { TX_CODES, u32le } from './fixtures.js';

// Random and mutated bytes through the decoder, seeded: every outcome is a TransactionError with
// one of the four codes, or a transaction whose bytes are exactly a valid signed original's.
// Print the seed; SWARMGUARD_SEED=<seed> replays the same cases.

const CASES = 20_000;

function validTransactions(rng: Rng): Transaction[] {
  const chains = ['main', 'test-net', 'é€𝄞', 'x'.repeat(64), 'c'];
  return Array.from({ length: 24 }, (_, i) =>
    signTransaction({ chainId: chains[i % chains.length], nonce: [1, 2 ** 32, 2 ** 53 - 1, 1 + rng.int(1000)][rng.int(4)], payload: rng.bytes([0, 1, 40, 300][rng.int(4)]) }, rng.bytes(32)),
  );
}

/** One mutation of `bytes`, by a kind drawn from the generator. */
function mutate(bytes: Uint8Array, rng: Rng): Uint8Array {
  const out = bytes.slice();
  switch (rng.int(9)) {
    case 0: // one to three bit flips
    case 1: {
      for (let k = 1 + rng.int(3); k > 0; k--) {
        const bit = rng.int(out.length * 8);
        out[bit >> 3] ^= 1 << (bit & 7);
      }
      return out;
    }
    case 2: // truncated
      return out.subarray(0, rng.int(out.length));
    case 3: {
      // bytes inserted
      const at = rng.int(out.length + 1);
      const extra = rng.bytes(1 + rng.int(8));
      const grown = new Uint8Array(out.length + extra.length);
      grown.set(out.subarray(0, at));
      grown.set(extra, at);
      grown.set(out.subarray(at), at + extra.length);
      return grown;
    }
    case 4: {
      // bytes deleted
      const at = rng.int(out.length);
      return Uint8Array.of(...out.subarray(0, at), ...out.subarray(at + 1 + rng.int(8)));
    }
    case 5: // the chain id length byte
      out[1] = [0, 1, out[1] - 1, out[1] + 1, 64, 65, 255, rng.int(256)][rng.int(8)] & 0xff;
      return out;
    case 6: {
      // the payload length field
      const at = out.length - 64 - payloadLengthOf(bytes) - 4;
      const now = payloadLengthOf(bytes);
      out.set(u32le([0, now - 1, now + 1, DEFAULT_MAX_PAYLOAD, DEFAULT_MAX_PAYLOAD + 1, 2 ** 32 - 1, rng.u32()][rng.int(7)] >>> 0), at);
      return out;
    }
    case 7: {
      // the nonce's top bytes (0, 2^53 and above) or the version byte
      if (rng.int(2) === 0) out[0] = rng.int(256);
      else out.set(rng.int(2) === 0 ? new Uint8Array(8) : rng.bytes(8), 2 + out[1] + 32);
      return out;
    }
    default: // trailing bytes
      return Uint8Array.of(...out, ...rng.bytes(1 + rng.int(4)));
  }
}

/** Random fields in a consistent version-1 layout, so the decoder gets past the lengths. */
function randomLayout(rng: Rng): Uint8Array {
  const chain = rng.int(2) === 0 ? rng.bytes(1 + rng.int(64)) : Uint8Array.from(rng.bytes(1 + rng.int(64)), (b) => 0x20 + (b % 0x5f));
  const payload = rng.bytes(rng.int(100));
  const nonce = rng.int(3) === 0 ? rng.bytes(8) : Uint8Array.of(...rng.bytes(6), rng.int(0x20), 0);
  return Uint8Array.of(1, chain.length, ...chain, ...rng.bytes(32), ...nonce, ...u32le(payload.length), ...payload, ...rng.bytes(64));
}

function payloadLengthOf(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(2 + bytes[1] + 32 + 8, true);
}

describe('transaction decoder fuzz (seeded)', () => {
  it(`${CASES} random and mutated byte strings: a TransactionError or the untouched valid bytes, never anything else`, () => {
    const seed = testSeed('tx decoder fuzz');
    const rng = new Rng(seed);
    const valid = validTransactions(rng);
    const known = new Set(valid.map((tx) => bytesToHex(tx.bytes)));
    const codes = new Map<string, number>();
    let accepted = 0;
    for (let i = 0; i < CASES; i++) {
      const original = valid[rng.int(valid.length)];
      const draw = rng.int(10);
      const input = draw === 0 ? rng.bytes(rng.int(400)) : draw === 1 ? randomLayout(rng) : mutate(original.bytes, rng);
      const copy = input.slice();
      const options = [undefined, { chainId: original.chainId }, { chainId: 'main' }, { maxPayload: 40 }, { verify: false }][rng.int(5)];
      const where = `case ${i} (SWARMGUARD_SEED=${seed}) options ${JSON.stringify(options)} bytes ${bytesToHex(input)}`;
      const parseOnly = rng.int(8) === 0;
      const verified = !parseOnly && options?.verify !== false;
      let tx: Transaction | undefined;
      try {
        tx = parseOnly ? parseTransaction(input, DEFAULT_MAX_PAYLOAD) : decodeTransaction(input, options);
      } catch (err) {
        if (!(err instanceof TransactionError) || !TX_CODES.includes(err.code)) throw new Error(`${where}: threw ${String(err)}`);
        codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
      }
      if (tx !== undefined) {
        // Verified, only an original's exact bytes pass; parsed only, any layout that holds
        // together. Either way the fields put back together give the input again.
        if (verified && !known.has(bytesToHex(input))) throw new Error(`${where}: accepted bytes no one signed`);
        if (reencoded(tx) !== bytesToHex(input)) throw new Error(`${where}: decoded fields re-encode to ${reencoded(tx)}`);
        accepted++;
      }
      if (bytesToHex(input) !== bytesToHex(copy)) throw new Error(`${where}: the decoder changed its input`);
    }
    console.log(`[tx fuzz] ${CASES} cases: ${accepted} decoded, refused by code ${JSON.stringify(Object.fromEntries(codes))}`);
    for (const code of TX_CODES) expect(codes.get(code) ?? 0, code).toBeGreaterThan(0);
  });
});

/** A decoded transaction's fields put back together in the version-1 layout, as hex (or why they cannot be). */
function reencoded(tx: Transaction): string {
  try {
    return bytesToHex(encodeFields(tx));
  } catch (err) {
    return String(err);
  }
}

function encodeFields(tx: Transaction): Uint8Array {
  const chain = new TextEncoder().encode(tx.chainId);
  const out = new Uint8Array(2 + chain.length + 32 + 8 + 4 + tx.payload.length + 64);
  const view = new DataView(out.buffer);
  out[0] = 1;
  out[1] = chain.length;
  out.set(chain, 2);
  let at = 2 + chain.length;
  out.set(tx.sender, at);
  at += 32;
  view.setBigUint64(at, BigInt(tx.nonce), true);
  view.setUint32(at + 8, tx.payload.length, true);
  out.set(tx.payload, at + 12);
  out.set(tx.signature, at + 12 + tx.payload.length);
  return out;
}

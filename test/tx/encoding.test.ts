import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../src/bytes/index.js';
import {
  DEFAULT_MAX_PAYLOAD,
  decodeTransaction,
  MalformedTransactionError,
  MAX_CHAIN_ID_BYTES,
  parseTransaction,
  signTransaction,
  type Transaction,
  TransactionError,
  TransactionSignatureError,
  TransactionTooLargeError,
  TX_CONTEXT,
  TX_VERSION,
  transactionId,
  transactionSigningBytes,
  WrongChainError,
} from '../../src/tx/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { concat, encodeByHand, expectTxError, PUBLIC, SECRET, u32le, utf8 } from './fixtures.js';

const MALFORMED = 'ERR_TX_MALFORMED';
const TOO_LARGE = 'ERR_TX_TOO_LARGE';

/** The fields of a decoded transaction, as plain values. */
const fieldsOf = (tx: Transaction) => ({ chainId: tx.chainId, sender: bytesToHex(tx.sender), nonce: tx.nonce, payload: bytesToHex(tx.payload), signature: bytesToHex(tx.signature) });

describe('transaction encoding, version 1', () => {
  it('lays out version | chain id length | chain id | sender | nonce u64 LE | payload length u32 LE | payload | signature, as written by hand', () => {
    const tx = signTransaction({ chainId: 'main', nonce: 0x0001_0203_0405_0607, payload: new Uint8Array([0xaa, 0xbb, 0xcc]) }, SECRET);
    const signature = hexToBytes(
      '443d73622cac39c26a6579ce524ddf1b1f15aac9effda965d7edcdf7a29698f0496b7065e04501055299de5687c27e119b2ff76630269ab8317ce92a736f350d',
    );
    const expected = concat(
      [0x01], // version
      [0x04], // chain id length
      [0x6d, 0x61, 0x69, 0x6e], // 'main'
      PUBLIC, // sender: RFC 8032 TEST 1's public key
      [0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x00], // nonce 0x0001020304050607, little-endian
      [0x03, 0x00, 0x00, 0x00], // payload length
      [0xaa, 0xbb, 0xcc], // payload
      signature,
    );
    expect(bytesToHex(tx.bytes)).toBe(bytesToHex(expected));
    expect(tx.bytes.length).toBe(1 + 1 + 4 + 32 + 8 + 4 + 3 + 64);
    // Frozen: the id of this encoding may never change within version 1.
    expect(bytesToHex(transactionId(tx.bytes))).toBe('9f282a7506be7243b022c51a58b84248c7590ea91fbdef5a1cf48b11772060bf');
    expect(bytesToHex(transactionId(tx.bytes))).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(fieldsOf(tx)).toEqual({ chainId: 'main', sender: bytesToHex(PUBLIC), nonce: 0x0001_0203_0405_0607, payload: 'aabbcc', signature: bytesToHex(signature) });
    expect(tx.bytes).toEqual(encodeByHand({ nonce: 0x0001_0203_0405_0607n, payload: new Uint8Array([0xaa, 0xbb, 0xcc]) }));
  });

  it('names its version and context: 1 and the 17 bytes of "swarmguard/tx/v1\\0"', () => {
    expect(TX_VERSION).toBe(1);
    expect(TX_CONTEXT).toEqual(utf8('swarmguard/tx/v1\0'));
    expect(TX_CONTEXT.length).toBe(17);
    expect(DEFAULT_MAX_PAYLOAD).toBe(65_536);
    expect(MAX_CHAIN_ID_BYTES).toBe(64);
  });

  it('round-trips random fields: decode gives back the fields and the same bytes', () => {
    const rng = new Rng(testSeed('tx round trip'));
    const alphabet = ['a', 'Z', '0', '-', 'é', '€', '𝄞', '\0', ' '];
    for (let i = 0; i < 150; i++) {
      let chainId = '';
      const want = 1 + rng.int(16); // at most 64 bytes of UTF-8
      for (let k = 0; k < want; k++) chainId += alphabet[rng.int(alphabet.length)];
      const nonce = [1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1][rng.int(5)] ?? 1 + rng.int(2 ** 31);
      const payload = rng.bytes(rng.int(3) === 0 ? 0 : rng.int(2000));
      const key = rng.bytes(32);
      const tx = signTransaction({ chainId, nonce, payload }, key);
      const back = decodeTransaction(tx.bytes.slice(), { chainId });
      expect(back.chainId).toBe(chainId);
      expect(back.nonce).toBe(nonce);
      expect(back.payload).toEqual(payload);
      expect(back.bytes).toEqual(tx.bytes);
      expect(fieldsOf(back)).toEqual(fieldsOf(tx));
    }
  });

  it('decodes a transaction inside a larger buffer (a view at an offset), returning views of it', () => {
    const tx = signTransaction({ chainId: 'main', nonce: 2 ** 40 + 3, payload: utf8('offset') }, SECRET);
    const frame = new Uint8Array(tx.bytes.length + 13);
    frame.set(tx.bytes, 7);
    const view = frame.subarray(7, 7 + tx.bytes.length);
    const back = decodeTransaction(view);
    expect(fieldsOf(back)).toEqual(fieldsOf(tx));
    expect(back.payload.buffer).toBe(frame.buffer);
  });

  it('accepts the extremes: a 64-byte chain id, nonce 1 and 2^53 - 1, an empty payload, a payload of exactly maxPayload', () => {
    const long = 'x'.repeat(62) + 'é'; // 64 bytes of UTF-8
    expect(decodeTransaction(signTransaction({ chainId: long, nonce: 1, payload: new Uint8Array(0) }, SECRET).bytes).chainId).toBe(long);
    expect(decodeTransaction(encodeByHand({ nonce: 2n ** 53n - 1n })).nonce).toBe(Number.MAX_SAFE_INTEGER);
    const full = signTransaction({ chainId: 'c', nonce: 1, payload: new Uint8Array(DEFAULT_MAX_PAYLOAD) }, SECRET);
    expect(decodeTransaction(full.bytes).payload.length).toBe(DEFAULT_MAX_PAYLOAD);
    expect(decodeTransaction(encodeByHand({ payload: new Uint8Array(9) }), { maxPayload: 9 }).payload.length).toBe(9);
    expect(decodeTransaction(encodeByHand({ payload: new Uint8Array(0) }), { maxPayload: 0 }).payload.length).toBe(0);
  });
});

describe('malformed, oversize and wrong-chain bytes are refused with a typed error', () => {
  it('a version other than 1', () => {
    for (const version of [0, 2, 0x7f, 0xff]) expectTxError(() => decodeTransaction(encodeByHand({ version })), MalformedTransactionError, MALFORMED, `unknown version ${version}`);
  });

  it('a chain id of length 0 or more than 64 bytes, as the length byte says and as the bytes are', () => {
    expectTxError(() => decodeTransaction(encodeByHand({ chain: new Uint8Array(0) })), MalformedTransactionError, MALFORMED, 'chain id length 0 is not 1 to 64');
    expectTxError(() => decodeTransaction(encodeByHand({ chain: utf8('x'.repeat(65)) })), MalformedTransactionError, MALFORMED, 'chain id length 65');
    expectTxError(() => decodeTransaction(encodeByHand({ chain: utf8('x'.repeat(255)) })), MalformedTransactionError, MALFORMED, 'chain id length 255');
    // The length byte alone edited: the rest no longer lines up.
    for (const chainLength of [0, 3, 5, 65, 200]) expectTxError(() => decodeTransaction(encodeByHand({ chainLength })), MalformedTransactionError, MALFORMED);
  });

  it('a chain id that is not UTF-8 (invalid byte, overlong form, encoded surrogate, cut sequence)', () => {
    for (const chain of [[0xff], [0x6d, 0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]]) {
      expectTxError(() => decodeTransaction(encodeByHand({ chain: new Uint8Array(chain) })), MalformedTransactionError, MALFORMED, 'chain id is not UTF-8');
    }
  });

  it('keeps a leading byte order mark as part of the chain id: a transaction signed for "\\uFEFFmain" is not valid on "main"', () => {
    // A decoder that strips the BOM would read EF BB BF 'main' as 'main' and accept on chain
    // 'main' a signature made for another chain id.
    const bom = encodeByHand({ chain: concat([0xef, 0xbb, 0xbf], utf8('main')) });
    expect(decodeTransaction(bom).chainId).toBe('\uFEFFmain');
    expectTxError(() => decodeTransaction(bom, { chainId: 'main' }), WrongChainError, 'ERR_TX_WRONG_CHAIN');
    const signed = signTransaction({ chainId: '\uFEFFmain', nonce: 1, payload: utf8('p') }, SECRET);
    expect(signed.chainId).toBe('\uFEFFmain');
    expect(decodeTransaction(signed.bytes, { chainId: '\uFEFFmain' }).chainId).toBe('\uFEFFmain');
  });

  it('truncated at every length', () => {
    const bytes = encodeByHand({ chain: utf8('chain-é'), payload: utf8('a payload of some length') });
    for (let n = 0; n < bytes.length; n++) {
      expectTxError(() => decodeTransaction(bytes.subarray(0, n)), MalformedTransactionError, MALFORMED, undefined, `truncated to ${n}`);
      expectTxError(() => parseTransaction(bytes.slice(0, n), DEFAULT_MAX_PAYLOAD), MalformedTransactionError, MALFORMED, undefined, `parse, truncated to ${n}`);
    }
  });

  it('trailing bytes after the signature', () => {
    const bytes = encodeByHand();
    for (const extra of [1, 2, 64, 1000]) {
      expectTxError(() => decodeTransaction(concat(bytes, new Uint8Array(extra))), MalformedTransactionError, MALFORMED, 'does not match', `${extra} trailing`);
    }
  });

  it('a payload length that does not match the bytes', () => {
    for (const payloadLength of [0, 4, 6, 100]) {
      expectTxError(() => decodeTransaction(encodeByHand({ payloadLength })), MalformedTransactionError, MALFORMED, `payload length ${payloadLength} does not match`);
    }
  });

  it('nonce 0, and nonces of 2^53 and above', () => {
    expectTxError(() => decodeTransaction(encodeByHand({ nonce: 0n })), MalformedTransactionError, MALFORMED, 'nonce 0');
    for (const nonce of [2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n]) {
      expectTxError(() => decodeTransaction(encodeByHand({ nonce })), MalformedTransactionError, MALFORMED, 'nonce above 2^53 - 1', `nonce ${nonce}`);
    }
  });

  it('a payload over maxPayload (default 64 KiB), whether the bytes hold it or only the length field claims it', () => {
    const big = encodeByHand({ payload: new Uint8Array(DEFAULT_MAX_PAYLOAD + 1) });
    expectTxError(() => decodeTransaction(big), TransactionTooLargeError, TOO_LARGE, `payload of ${DEFAULT_MAX_PAYLOAD + 1} bytes is above the maximum of ${DEFAULT_MAX_PAYLOAD}`);
    expect(decodeTransaction(big, { maxPayload: DEFAULT_MAX_PAYLOAD + 1 }).payload.length).toBe(DEFAULT_MAX_PAYLOAD + 1);
    expectTxError(() => decodeTransaction(encodeByHand({ payload: new Uint8Array(10) }), { maxPayload: 9 }), TransactionTooLargeError, TOO_LARGE, 'maximum of 9');
    expectTxError(() => decodeTransaction(encodeByHand({ payloadLength: 2 ** 32 - 1 })), TransactionTooLargeError, TOO_LARGE, `payload of ${2 ** 32 - 1} bytes`);
  });

  it('another chain than the one asked for, naming both', () => {
    const bytes = encodeByHand({ chain: utf8('test-net') });
    expectTxError(() => decodeTransaction(bytes, { chainId: 'main' }), WrongChainError, 'ERR_TX_WRONG_CHAIN', 'chain "test-net", expected "main"');
    expectTxError(() => decodeTransaction(bytes, { chainId: 'test-ne' }), WrongChainError, 'ERR_TX_WRONG_CHAIN');
    expect(decodeTransaction(bytes, { chainId: 'test-net' }).chainId).toBe('test-net');
  });

  it('a flipped bit anywhere in the signature', () => {
    const bytes = encodeByHand();
    for (let bit = 0; bit < 512; bit++) {
      const copy = bytes.slice();
      copy[bytes.length - 64 + (bit >> 3)] ^= 1 << (bit & 7);
      expectTxError(() => decodeTransaction(copy), TransactionSignatureError, 'ERR_TX_BAD_SIGNATURE', "signature does not verify under the sender's key", `signature bit ${bit}`);
      // Without verification the bytes still parse: the signature is the only thing wrong.
      expect(decodeTransaction(copy, { verify: false }).signature).toEqual(copy.subarray(bytes.length - 64));
    }
  });

  it('a flipped bit anywhere in the signed body: a bad signature, or malformed where the field itself breaks', () => {
    const chain = utf8('main');
    const bytes = encodeByHand({ chain, payload: utf8('pay') });
    const senderAt = 2 + chain.length;
    const nonceAt = senderAt + 32;
    const lengthAt = nonceAt + 8;
    for (let bit = 0; bit < (bytes.length - 64 - 1) * 8; bit++) {
      const at = 1 + (bit >> 3);
      const copy = bytes.slice();
      copy[at] ^= 1 << (bit & 7);
      const label = `body byte ${at} bit ${bit & 7}`;
      if (at === 1 || (at >= lengthAt && at < lengthAt + 4)) {
        // A length field: the layout no longer lines up, or claims more than the maximum.
        const code = (() => {
          try {
            decodeTransaction(copy);
          } catch (err) {
            return err instanceof TransactionError ? err.code : String(err);
          }
        })();
        expect([MALFORMED, TOO_LARGE], label).toContain(code);
      } else if (at < senderAt && copy[at] >= 0x80) {
        expectTxError(() => decodeTransaction(copy), MalformedTransactionError, MALFORMED, 'not UTF-8', label);
      } else if (at >= nonceAt + 6 && at < nonceAt + 8 && (copy[nonceAt + 6] >= 0x20 || copy[nonceAt + 7] !== 0)) {
        expectTxError(() => decodeTransaction(copy), MalformedTransactionError, MALFORMED, 'nonce above', label);
      } else {
        expectTxError(() => decodeTransaction(copy), TransactionSignatureError, 'ERR_TX_BAD_SIGNATURE', undefined, label);
      }
    }
  });

  it('errors extend one base class and keep their codes', () => {
    const err = expectTxError(() => decodeTransaction(new Uint8Array(3)), MalformedTransactionError, MALFORMED, '3 bytes is shorter than any transaction');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('MalformedTransactionError');
    expectTxError(() => decodeTransaction(concat([1, 1, 0x41], new Uint8Array(32), new Uint8Array(8), u32le(0), new Uint8Array(64))), MalformedTransactionError, MALFORMED, 'nonce 0');
  });
});

describe('transactionSigningBytes', () => {
  it('is the context, then the encoding between the version byte and the signature', () => {
    const tx = signTransaction({ chainId: 'main', nonce: 9, payload: utf8('x') }, SECRET);
    expect(transactionSigningBytes(tx)).toEqual(concat(TX_CONTEXT, tx.bytes.subarray(1, tx.bytes.length - 64)));
  });

  it('does not change when someone writes into the exported TX_CONTEXT', () => {
    const fields = { chainId: 'main', nonce: 9, payload: utf8('x') };
    const before = signTransaction(fields, SECRET);
    TX_CONTEXT.fill(0);
    try {
      const after = signTransaction(fields, SECRET);
      expect(after.bytes).toEqual(before.bytes);
      expect(transactionSigningBytes(after).subarray(0, 17)).toEqual(utf8('swarmguard/tx/v1\0'));
      expect(decodeTransaction(before.bytes).nonce).toBe(9);
    } finally {
      TX_CONTEXT.set(utf8('swarmguard/tx/v1\0'));
    }
  });
});

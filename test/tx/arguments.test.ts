import { describe, expect, it } from 'vitest';
import {
  decodeTransaction,
  requireChainId,
  requireMaxPayload,
  signTransaction,
  transactionId,
  transactionIds,
  transactionSigningBytes,
  verifyTransactions,
} from '../../src/tx/index.js';
import { detached, expectRefusals, holes, type Refusal } from '../_support/refusals.js';
import { SECRET, utf8 } from './fixtures.js';

const FIELDS = { chainId: 'main', nonce: 1, payload: utf8('p') };
const tx = signTransaction(FIELDS, SECRET);
const sign = (fields: unknown, key: unknown = SECRET, options?: unknown) => () => signTransaction(fields as never, key as never, options as never);
const withField = (name: string, value: unknown) => sign({ ...FIELDS, [name]: value });

describe('transaction argument errors', () => {
  it('signTransaction names itself and the argument', () => {
    const where = 'signTransaction';
    const rows: Refusal[] = [
      ['fields 5', sign(5), 'type', where, 'fields', 'must be an object, got a number (5)'],
      ['fields null', sign(null), 'type', where, 'fields', 'got null'],
      ['fields array', sign([FIELDS]), 'type', where, 'fields', 'got an array'],
      ['chainId number', withField('chainId', 7), 'type', where, 'fields.chainId', 'must be a string'],
      ['chainId missing', sign({ nonce: 1, payload: utf8('p') }), 'type', where, 'fields.chainId', 'got undefined'],
      ['chainId empty', withField('chainId', ''), 'range', where, 'fields.chainId', 'must be 1 to 64 bytes of UTF-8, got 0'],
      ['chainId 65 bytes', withField('chainId', 'x'.repeat(65)), 'range', where, 'fields.chainId', 'got 65'],
      ['chainId 33 two-byte letters', withField('chainId', 'é'.repeat(33)), 'range', where, 'fields.chainId', 'got 66'],
      ['chainId lone high surrogate', withField('chainId', 'main\uD800'), 'range', where, 'fields.chainId', 'lone surrogate'],
      ['chainId lone low surrogate', withField('chainId', '\uDC00main'), 'range', where, 'fields.chainId', 'lone surrogate'],
      ['nonce string', withField('nonce', '1'), 'type', where, 'fields.nonce', 'must be an integer, got a string'],
      ['nonce bigint', withField('nonce', 1n), 'type', where, 'fields.nonce', 'got a bigint (1n)'],
      ['nonce 0', withField('nonce', 0), 'range', where, 'fields.nonce', 'must be a safe integer >= 1, got 0'],
      ['nonce -1', withField('nonce', -1), 'range', where, 'fields.nonce'],
      ['nonce 1.5', withField('nonce', 1.5), 'range', where, 'fields.nonce', 'got 1.5'],
      ['nonce NaN', withField('nonce', Number.NaN), 'range', where, 'fields.nonce', 'got NaN'],
      ['nonce Infinity', withField('nonce', Number.POSITIVE_INFINITY), 'range', where, 'fields.nonce'],
      ['nonce 2^53', withField('nonce', 2 ** 53), 'range', where, 'fields.nonce', 'got 9007199254740992'],
      ['payload string', withField('payload', 'p'), 'type', where, 'fields.payload', 'must be a Uint8Array, got a string'],
      ['payload array', withField('payload', [1]), 'type', where, 'fields.payload', 'got an array'],
      ['payload detached', withField('payload', detached()), 'type', where, 'fields.payload', 'detached'],
      ['payload over 64 KiB', withField('payload', new Uint8Array(65_537)), 'range', where, 'fields.payload', 'must be at most 65536 bytes, got 65537'],
      ['payload over maxPayload', sign(FIELDS, SECRET, { maxPayload: 0 }), 'range', where, 'fields.payload', 'must be at most 0 bytes, got 1'],
      ['key string', sign(FIELDS, 'k'.repeat(32)), 'type', where, 'key', 'must be a 32-byte Uint8Array or { secretKey, publicKey }, got a string'],
      ['key null', sign(FIELDS, null), 'type', where, 'key', 'got null'],
      ['key array', sign(FIELDS, [...SECRET]), 'type', where, 'key', 'got an array'],
      ['key 31 bytes', sign(FIELDS, new Uint8Array(31)), 'range', where, 'key', 'must be 32 bytes, got 31'],
      ['key 64 bytes', sign(FIELDS, new Uint8Array(64)), 'range', where, 'key', 'got 64'],
      ['key detached', sign(FIELDS, detached()), 'type', where, 'key', 'detached'],
      ['pair without secretKey', sign(FIELDS, { publicKey: new Uint8Array(32) }), 'type', where, 'key.secretKey', 'got undefined'],
      ['pair secretKey 16 bytes', sign(FIELDS, { secretKey: new Uint8Array(16), publicKey: new Uint8Array(32) }), 'range', where, 'key.secretKey', 'got 16'],
      ['pair publicKey string', sign(FIELDS, { secretKey: SECRET, publicKey: 'pk' }), 'type', where, 'key.publicKey'],
      ['pair publicKey 31 bytes', sign(FIELDS, { secretKey: SECRET, publicKey: new Uint8Array(31) }), 'range', where, 'key.publicKey', 'must be 32 bytes, got 31'],
      ['pair publicKey 33 bytes', sign(FIELDS, { secretKey: SECRET, publicKey: new Uint8Array(33) }), 'range', where, 'key.publicKey', 'got 33'],
      ['pair publicKey 300 bytes', sign(FIELDS, { secretKey: SECRET, publicKey: new Uint8Array(300) }), 'range', where, 'key.publicKey', 'got 300'],
      ['options 5', sign(FIELDS, SECRET, 5), 'type', where, 'options', 'got a number (5)'],
      ['options null', sign(FIELDS, SECRET, null), 'type', where, 'options', 'got null'],
      ['maxPayload string', sign(FIELDS, SECRET, { maxPayload: '10' }), 'type', where, 'options.maxPayload', 'got a string'],
      ['maxPayload -1', sign(FIELDS, SECRET, { maxPayload: -1 }), 'range', where, 'options.maxPayload', 'got -1'],
      ['maxPayload 1.5', sign(FIELDS, SECRET, { maxPayload: 1.5 }), 'range', where, 'options.maxPayload', 'got 1.5'],
      ['maxPayload 2^32', sign(FIELDS, SECRET, { maxPayload: 2 ** 32 }), 'range', where, 'options.maxPayload', 'got 4294967296'],
    ];
    expectRefusals(rows);
  });

  it('decodeTransaction names itself and the argument', () => {
    const where = 'decodeTransaction';
    const decode = (bytes: unknown, options?: unknown) => () => decodeTransaction(bytes as never, options as never);
    const rows: Refusal[] = [
      ['bytes string', decode('01'), 'type', where, 'bytes', 'must be a Uint8Array, got a string'],
      ['bytes array', decode([...tx.bytes]), 'type', where, 'bytes', 'got an array'],
      ['bytes null', decode(null), 'type', where, 'bytes', 'got null'],
      ['bytes ArrayBuffer', decode(tx.bytes.buffer), 'type', where, 'bytes', 'got ArrayBuffer'],
      ['bytes detached', decode(detached()), 'type', where, 'bytes', 'detached'],
      ['options 5', decode(tx.bytes, 5), 'type', where, 'options'],
      ['options null', decode(tx.bytes, null), 'type', where, 'options', 'got null'],
      ['chainId number', decode(tx.bytes, { chainId: 1 }), 'type', where, 'options.chainId', 'must be a string'],
      ['chainId empty', decode(tx.bytes, { chainId: '' }), 'range', where, 'options.chainId', 'got 0'],
      ['chainId 65 bytes', decode(tx.bytes, { chainId: 'y'.repeat(65) }), 'range', where, 'options.chainId', 'got 65'],
      ['chainId lone surrogate', decode(tx.bytes, { chainId: '\uD83D' }), 'range', where, 'options.chainId', 'lone surrogate'],
      ['maxPayload string', decode(tx.bytes, { maxPayload: '64' }), 'type', where, 'options.maxPayload'],
      ['maxPayload -1', decode(tx.bytes, { maxPayload: -1 }), 'range', where, 'options.maxPayload'],
      ['maxPayload NaN', decode(tx.bytes, { maxPayload: Number.NaN }), 'range', where, 'options.maxPayload', 'got NaN'],
      ['verify string', decode(tx.bytes, { verify: 'yes' }), 'type', where, 'options.verify', 'must be a boolean, got a string'],
      ['verify 1', decode(tx.bytes, { verify: 1 }), 'type', where, 'options.verify', 'got a number (1)'],
    ];
    expectRefusals(rows);
  });

  it('verifyTransactions refuses a non-array, holes and items without bytes, by index', () => {
    const where = 'verifyTransactions';
    const verify = (txs: unknown) => () => verifyTransactions(txs as never);
    const rows: Refusal[] = [
      ['string', verify('txs'), 'type', where, 'txs', 'must be an array, got a string'],
      ['Set', verify(new Set([tx])), 'type', where, 'txs', 'got Set'],
      ['undefined', verify(undefined), 'type', where, 'txs', 'got undefined'],
      ['holes', verify(holes(2)), 'type', where, 'txs[0]', 'must be an object, got undefined'],
      ['hole after an item', verify([tx, , tx]), 'type', where, 'txs[1]'],
      ['null item', verify([tx, null]), 'type', where, 'txs[1]', 'got null'],
      ['bytes item', verify([tx.bytes]), 'type', where, 'txs[0].bytes', 'must be a Uint8Array, got undefined'],
      ['bytes string', verify([tx, { ...tx, bytes: 'aa' }]), 'type', where, 'txs[1].bytes', 'got a string'],
      ['bytes detached', verify([{ ...tx, bytes: detached() }]), 'type', where, 'txs[0].bytes', 'detached'],
    ];
    expectRefusals(rows);
  });

  it('transactionSigningBytes, transactionId and transactionIds name themselves and the argument', () => {
    const rows: Refusal[] = [
      ['signing bytes of null', () => transactionSigningBytes(null as never), 'type', 'transactionSigningBytes', 'tx', 'got null'],
      ['signing bytes of bytes', () => transactionSigningBytes(tx.bytes as never), 'type', 'transactionSigningBytes', 'tx.bytes', 'got undefined'],
      ['signing bytes, detached', () => transactionSigningBytes({ ...tx, bytes: detached() }), 'type', 'transactionSigningBytes', 'tx.bytes', 'detached'],
      ['signing bytes, too short', () => transactionSigningBytes({ ...tx, bytes: tx.bytes.subarray(0, 40) }), 'range', 'transactionSigningBytes', 'tx.bytes', 'must be laid out as a version-1 transaction, got 40 bytes'],
      ['signing bytes, version 2', () => transactionSigningBytes({ ...tx, bytes: Uint8Array.of(2, ...tx.bytes.subarray(1)) }), 'range', 'transactionSigningBytes', 'tx.bytes'],
      ['id of a string', () => transactionId('tx' as never), 'type', 'transactionId', 'bytes', 'must be a Uint8Array, got a string'],
      ['id of detached', () => transactionId(detached()), 'type', 'transactionId', 'bytes', 'detached'],
      ['ids of a string', () => transactionIds('tx' as never), 'type', 'transactionIds', 'list', 'must be an array'],
      ['ids with a string', () => transactionIds([tx.bytes, 'tx' as never]), 'type', 'transactionIds', 'list[1]', 'got a string'],
      ['ids with holes', () => transactionIds(holes(2)), 'type', 'transactionIds', 'list[0]', 'got undefined'],
      ['ids with detached', () => transactionIds([detached()]), 'type', 'transactionIds', 'list[0]', 'detached'],
    ];
    expectRefusals(rows);
  });

  it('the checks shared with the replica name the caller and argument they are given', () => {
    const rows: Refusal[] = [
      ['chain id number', () => requireChainId(5, 'Replica', 'config.chainId'), 'type', 'Replica', 'config.chainId'],
      ['chain id empty', () => requireChainId('', 'Replica', 'config.chainId'), 'range', 'Replica', 'config.chainId', 'must be 1 to 64 bytes of UTF-8, got 0'],
      ['maxPayload 1.5', () => requireMaxPayload(1.5, 'Replica', 'config.maxPayload'), 'range', 'Replica', 'config.maxPayload'],
    ];
    expectRefusals(rows);
    expect(requireChainId('main', 'Replica', 'config.chainId')).toEqual(utf8('main'));
    expect(requireMaxPayload(undefined, 'Replica', 'config.maxPayload')).toBe(65_536);
  });
});

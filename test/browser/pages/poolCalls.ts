// Bad calls to a pool, run by the browser page (test/browser/pages/pool.ts) on the Web Worker
// pool and by test/browser/pool.test.ts on the Node pool: both must refuse each one with the
// same error (class name, code, message).
import type { ShardedPool } from '../../../src/shards/index.js';

type PoolMethods = Pick<ShardedPool, 'sha256Many' | 'blake3Many' | 'merkleRoot' | 'verifyBatch' | 'mldsaVerifyBatch' | 'run'>;

export interface ErrorReport {
  name: string;
  code: string;
  message: string;
  /** `TypeError` or `RangeError` by `instanceof`, else the name. */
  kind: string;
}

export function errorOf(err: unknown): ErrorReport {
  const e = err as Error & { code?: string };
  const kind = err instanceof TypeError ? 'TypeError' : err instanceof RangeError ? 'RangeError' : e.name;
  return { name: e.name, code: e.code ?? '', message: e.message, kind };
}

/** What `call` throws or rejects with; null when it succeeds. */
export async function refusal(call: () => unknown): Promise<ErrorReport | null> {
  try {
    await call();
    return null;
  } catch (err) {
    return errorOf(err);
  }
}

function detached(): Uint8Array {
  const view = new Uint8Array(32);
  structuredClone(view.buffer, { transfer: [view.buffer] });
  return view;
}

/** [label, call] pairs; `createPool` is the pool kind's own. */
export function badPoolCalls(pool: PoolMethods, createPool: (options?: never) => unknown): [string, () => unknown][] {
  const b = new Uint8Array([1, 2, 3]);
  const item = { signature: new Uint8Array(64), message: 'm', publicKey: new Uint8Array(32) };
  return [
    ['sha256Many holes', () => pool.sha256Many(new Array(3))],
    ['sha256Many bad item', () => pool.sha256Many([b, 5 as never])],
    ['sha256Many string', () => pool.sha256Many('abc' as never)],
    ['sha256Many detached', () => pool.sha256Many([detached()])],
    ['sha256Many signal', () => pool.sha256Many([b], { signal: 'x' as never })],
    ['sha256Many unknown option', () => pool.sha256Many(['x'], { sigal: undefined } as never)],
    ['blake3Many short key', () => pool.blake3Many([b], { key: new Uint8Array(31) })],
    ['blake3Many fractional length', () => pool.blake3Many([b], { length: 1.5 })],
    ['blake3Many key and context', () => pool.blake3Many([b], { key: new Uint8Array(32), context: 'c' })],
    ['blake3Many dkLen', () => pool.blake3Many(['x'], { dkLen: 64 } as never)],
    ['blake3Many output limit', () => pool.blake3Many(new Array<Uint8Array>(5000).fill(b), { length: 2 ** 20 })],
    ['merkleRoot md5', () => pool.merkleRoot([b], { hash: 'md5' as never })],
    ['merkleRoot detached', () => pool.merkleRoot([b, detached()])],
    ['verifyBatch holes', () => pool.verifyBatch(new Array(3))],
    ['verifyBatch string', () => pool.verifyBatch('x' as never)],
    ['verifyBatch missing signature', () => pool.verifyBatch([item, { message: 'm', publicKey: item.publicKey } as never])],
    ['mldsaVerifyBatch without options', () => pool.mldsaVerifyBatch([], undefined as never)],
    ['mldsaVerifyBatch ML-DSA-66', () => pool.mldsaVerifyBatch([], { algorithm: 'ML-DSA-66' as never })],
    ['mldsaVerifyBatch context of 256 bytes', () => pool.mldsaVerifyBatch([{ ...item, context: new Uint8Array(256) }], { algorithm: 'ML-DSA-44' })],
    ['run unknown operation', () => pool.run('nope' as never, [])],
    ['run params', () => pool.run('sha256Many', [b], 5 as never)],
    ['run blake3 length', () => pool.run('blake3Many', [b], { length: -1 })],
    ['createPool 5', () => createPool(5 as never)],
    ['createPool threads 0', () => createPool({ threads: 0 } as never)],
    ['createPool threads 1.5', () => createPool({ threads: 1.5 } as never)],
    ['createPool threads string', () => createPool({ threads: '2' } as never)],
    ['createPool backend gpu', () => createPool({ backend: 'gpu' } as never)],
    ['createPool inlineBelow -1', () => createPool({ inlineBelow: -1 } as never)],
    ['createPool thread', () => createPool({ thread: 2 } as never)],
  ];
}

import { bytesToHex, hexToBytes } from '../bytes/index.js';
import type { Application } from '../consensus/index.js';
import type { Transaction } from '../tx/index.js';
import { DecodeError } from '../consensus/index.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `set key value` as a transaction payload for `KeyValueStore`. */
export function kvSet(key: string, value: string): Uint8Array {
  const k = encoder.encode(key);
  const v = encoder.encode(value);
  const out = new Uint8Array(3 + k.length + v.length);
  out[0] = 1;
  out[1] = k.length & 0xff;
  out[2] = k.length >> 8;
  out.set(k, 3);
  out.set(v, 3 + k.length);
  return out;
}

/**
 * The small key-value application the simulator replicates: `set` returns the previous value,
 * anything else returns the empty result. Snapshots are the sorted entries as JSON.
 */
export class KeyValueStore implements Application {
  private entries = new Map<string, string>();
  executed = 0;

  execute(tx: Transaction): Uint8Array {
    this.executed++;
    const p = tx.payload;
    if (p.length < 3 || p[0] !== 1) return new Uint8Array(0);
    const keyLength = p[1] | (p[2] << 8);
    if (3 + keyLength > p.length) return new Uint8Array(0);
    const key = decoder.decode(p.subarray(3, 3 + keyLength));
    const previous = this.entries.get(key) ?? '';
    this.entries.set(key, decoder.decode(p.subarray(3 + keyLength)));
    return encoder.encode(previous);
  }

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  snapshot(): Uint8Array {
    const sorted = [...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return encoder.encode(JSON.stringify({ executed: this.executed, entries: sorted.map(([k, v]) => [bytesToHex(encoder.encode(k)), v]) }));
  }

  restore(snapshot: Uint8Array): void {
    let parsed: { executed: number; entries: [string, string][] };
    try {
      parsed = JSON.parse(decoder.decode(snapshot));
    } catch {
      throw new DecodeError('key-value snapshot is not JSON');
    }
    if (!Array.isArray(parsed?.entries) || typeof parsed.executed !== 'number') throw new DecodeError('key-value snapshot has the wrong shape');
    this.entries = new Map(parsed.entries.map(([k, v]) => [decoder.decode(hexToBytes(k)), v]));
    this.executed = parsed.executed;
  }
}

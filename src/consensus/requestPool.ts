import { type ClientRequest, clientKey } from './block.js';

interface PendingRequest {
  request: ClientRequest;
  bytes: Uint8Array;
}

/**
 * Client requests waiting to be ordered, in arrival order. The primary cuts blocks from it; every
 * replica keeps it, because pending work is what arms the view-change timer.
 */
export class RequestPool {
  private readonly entries = new Map<string, PendingRequest>();
  /** When the oldest request still waiting arrived (or the last block committed): the batch timer. */
  since = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  add(request: ClientRequest, bytes: Uint8Array, now: number): 'added' | 'duplicate' | 'full' {
    const key = `${clientKey(request.clientId)}:${request.seq}`;
    if (this.entries.has(key)) return 'duplicate';
    if (this.entries.size >= this.capacity) return 'full';
    if (this.entries.size === 0) this.since = now;
    this.entries.set(key, { request, bytes });
    return 'added';
  }

  /** Forgets a request once executed (`key` is its `clientKey`). */
  remove(key: string, seq: number): void {
    this.entries.delete(`${key}:${seq}`);
  }

  /**
   * Up to `max` encoded requests in arrival order, with rising seq per client, skipping (and
   * discarding) requests whose client already executed that seq.
   */
  batch(max: number, lastSeq: (key: string) => number): Uint8Array[] {
    const txs: Uint8Array[] = [];
    const lastInBlock = new Map<string, number>();
    for (const [entryKey, { request, bytes }] of this.entries) {
      if (txs.length >= max) break;
      const key = clientKey(request.clientId);
      const executed = lastSeq(key);
      if (request.seq <= executed) {
        this.entries.delete(entryKey);
        continue;
      }
      if (request.seq <= (lastInBlock.get(key) ?? executed)) continue;
      lastInBlock.set(key, request.seq);
      txs.push(bytes);
    }
    return txs;
  }
}

// Called by crashingWorker.ts once the real worker has set its message handler, which it wraps: a
// shard holding the item CRASH_LEAF kills its worker as `?crash=` says, whichever worker gets it,
// and nothing else does (the batch after the crash recovers on the replacement). A call, not an
// import's side effect: the package declares its modules free of those, so a bundler drops a
// bare import of one.

/** The item that makes the crashing worker die. */
export const CRASH_LEAF = 'crash the worker that hashes this';

interface Shard {
  kind?: string;
  request?: { batch: { data: ArrayBufferLike; table: ArrayBufferLike }; from: number; to: number };
}

const scope = globalThis as unknown as {
  location: { search: string };
  close(): void;
  onmessage: ((event: MessageEvent<Shard>) => void) | null;
};
const crash = new TextEncoder().encode(CRASH_LEAF);

function holdsCrashLeaf({ batch, from, to }: NonNullable<Shard['request']>): boolean {
  const table = new Uint32Array(batch.table);
  const data = new Uint8Array(batch.data);
  for (let i = from; i < to; i++) {
    if (table[2 * i + 1] !== crash.length) continue;
    if (crash.every((b, k) => data[table[2 * i] + k] === b)) return true;
  }
  return false;
}

/** In the worker (its URL says `?crash=`; the page imports CRASH_LEAF from here too). */
export function crashOnShard(): void {
  const how = new URLSearchParams(scope.location.search).get('crash');
  const real = scope.onmessage;
  if (how === null || real === null) return;
  scope.onmessage = (event) => {
    const request = event.data.request;
    if (event.data.kind !== 'shard' || request === undefined || !holdsCrashLeaf(request)) return real(event);
    if (how === 'close') scope.close();
    else throw new Error('a pool worker failing on purpose');
  };
}

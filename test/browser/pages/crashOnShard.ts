// Imported first by crashingWorker.ts, so its message listener runs before the real worker's:
// a shard holding the item CRASH_LEAF kills its worker as `?crash=` says, whichever worker gets
// it, and nothing else does (the batch after the crash recovers on the replacement).

/** The item that makes the crashing worker die. */
export const CRASH_LEAF = 'crash the worker that hashes this';

interface Shard {
  kind?: string;
  request?: { batch: { data: ArrayBufferLike; table: ArrayBufferLike }; from: number; to: number };
}

const scope = globalThis as unknown as {
  location: { search: string };
  close(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Shard>) => void): void;
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

// Only in the worker (its URL says `?crash=`): the page imports CRASH_LEAF from here too.
const how = new URLSearchParams(scope.location.search).get('crash');
if (how !== null) {
  scope.addEventListener('message', (event) => {
    const request = event.data.request;
    if (event.data.kind !== 'shard' || request === undefined || !holdsCrashLeaf(request)) return;
    event.stopImmediatePropagation();
    if (how === 'close') scope.close();
    else throw new Error('a pool worker failing on purpose');
  });
}

import { ArgumentRangeError, requireArray, requireFunction, requireInteger, requireObject, requireOptions, requireString } from '../check/index.js';
import type { ValidatorSet } from '../consensus/index.js';
import { MemoryStorage, type Storage } from '../storage/index.js';
import type { WebSocketConstructor } from './stream.js';
import { type Checkpoint, requireCheckpoint, requireValidatorSet } from './trust.js';

export interface LightClientOptions {
  /** The validator set to trust: `validatorSetFromGenesis(genesisJson)`, obtained out of band. */
  validatorSet: ValidatorSet;
  /** Start from this header instead of genesis: a height and block hash you trust (fetched and checked at open). */
  checkpoint?: Checkpoint;
  /** RPC base URLs of the nodes or gateways to ask (`http://127.0.0.1:26657`); the first is asked first. */
  sources: string[];
  /** Where trusted headers are kept (`LevelStorage` over browser-level, classic-level or memory-level; default `MemoryStorage`). The client closes it. */
  storage?: Storage;
  /** A WebSocket class for `follow()`: default `globalThis.WebSocket`; on Node 20, the `ws` package's. */
  WebSocket?: WebSocketConstructor;
  /** Milliseconds each request may take (default 10,000). */
  timeoutMs?: number;
}

const KNOWN = ['validatorSet', 'checkpoint', 'sources', 'storage', 'WebSocket', 'timeoutMs'];

function requireSources(value: unknown, where: string): string[] {
  const list = requireArray(value, where, 'options.sources');
  if (list.length === 0) throw new ArgumentRangeError(where, 'options.sources', 'must name at least one source, got none');
  return list.map((item, i) => {
    const url = requireString(item, where, `options.sources[${i}]`);
    if (!/^https?:\/\/[^/]/.test(url)) throw new ArgumentRangeError(where, `options.sources[${i}]`, `must be an http:// or https:// URL, got ${JSON.stringify(url.slice(0, 80))}`);
    return url;
  });
}

function requireStorage(value: unknown, where: string): Storage {
  const s = requireObject<Storage>(value, where, 'options.storage');
  for (const method of ['write', 'get', 'entries', 'close'] as const) requireFunction(s[method], where, `options.storage.${method}`);
  return s;
}

function requireWebSocket(value: unknown, where: string): WebSocketConstructor {
  requireFunction(value, where, 'options.WebSocket');
  return value as WebSocketConstructor;
}

/** `LightClient.open`'s options, checked: TypeError or RangeError naming the option otherwise. */
export function checkedOptions(options: LightClientOptions, where: string) {
  const o = requireOptions(requireObject<LightClientOptions>(options, where, 'options'), where, 'options', KNOWN);
  return {
    set: requireValidatorSet(o.validatorSet, where, 'options.validatorSet'),
    checkpoint: o.checkpoint === undefined ? undefined : requireCheckpoint(o.checkpoint, where, 'options.checkpoint'),
    urls: requireSources(o.sources, where),
    storage: o.storage === undefined ? new MemoryStorage() : requireStorage(o.storage, where),
    Socket: o.WebSocket === undefined ? undefined : requireWebSocket(o.WebSocket, where),
    timeoutMs: requireInteger(o.timeoutMs ?? 10_000, where, 'options.timeoutMs', 1, 600_000),
  };
}

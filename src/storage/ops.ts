import { requireArray, requireBytes, requireObject, requireOneOf, requireString } from '../check/index.js';
import type { StorageOp } from './storage.js';

const OP_TYPES = ['put', 'del'] as const;

/**
 * Checks `ops` and copies them with their values, so the caller may reuse its buffers once
 * `write` returns (a store may hold them queued or in memory). `where` names the caller.
 */
export function copyOps(ops: readonly StorageOp[], where: string): StorageOp[] {
  const list = requireArray(ops, where, 'ops') as StorageOp[];
  const out: StorageOp[] = [];
  for (let i = 0; i < list.length; i++) {
    const op = list[i];
    if (op !== null && typeof op === 'object' && typeof op.key === 'string') {
      if (op.type === 'del') {
        out.push({ type: 'del', key: op.key });
        continue;
      }
      if (op.type === 'put' && op.value instanceof Uint8Array && op.value.length !== 0) {
        out.push({ type: 'put', key: op.key, value: op.value.slice() });
        continue;
      }
    }
    out.push(checkOp(op, i, where));
  }
  return out;
}

/** The slow path of `copyOps`: names what is wrong with `ops[i]` (or accepts an empty value). */
function checkOp(op: unknown, i: number, where: string): StorageOp {
  const o = requireObject<StorageOp>(op, where, `ops[${i}]`);
  const type = requireOneOf(o.type, where, `ops[${i}].type`, OP_TYPES);
  const key = requireString(o.key, where, `ops[${i}].key`);
  if (type === 'del') return { type, key };
  return { type, key, value: requireBytes((o as { value?: unknown }).value, where, `ops[${i}].value`).slice() };
}

/** Checks an optional key range (both ends strings when present). */
export function checkRange(range: unknown, where: string): { gte?: string; lt?: string } {
  if (range === undefined) return {};
  const r = requireObject<{ gte?: unknown; lt?: unknown }>(range, where, 'range');
  const out: { gte?: string; lt?: string } = {};
  if (r.gte !== undefined) out.gte = requireString(r.gte, where, 'range.gte');
  if (r.lt !== undefined) out.lt = requireString(r.lt, where, 'range.lt');
  return out;
}

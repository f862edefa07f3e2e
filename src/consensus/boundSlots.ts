import { equalBytes } from '../bytes/index.js';
import { type Block, blockHash } from './block.js';
import type { ReplicaState } from './state.js';

// What the current view's NEW-VIEW binds each slot above this replica's height to. Slots up to
// the decision's base hold the base's ancestors: the base has a commit certificate, so its
// ancestors are decided by their hashes. A replica below the base re-runs them in the new view
// (pipelined, the certificate of the base may exist while no honest replica committed the slots
// below it: a Byzantine replica collected it) and gets certificates of its own. Slots above the
// base hold the decision's chain, and after it they are free.

/** A slot's binding: its digest and, when known here, its body. */
export interface Binding {
  digest: Uint8Array;
  block: Block | null;
}

/**
 * What slot `seq` must hold in this view: a binding, null when the slot is free, or undefined
 * when it is one of the base's ancestors whose body this replica does not hold (yet).
 */
export function boundAt(r: ReplicaState, seq: number): Binding | null | undefined {
  const d = r.decision;
  if (!d) return null;
  if (seq > d.base.height) return d.slots[seq - d.base.height - 1] ?? null;
  let digest = d.base.hash;
  for (let height = d.base.height; height > seq; height--) {
    const body = knownBody(r, height, digest);
    if (!body) return undefined;
    digest = body.parent;
  }
  const block = knownBody(r, seq, digest);
  return block ? { digest, block } : undefined;
}

/** The body of the block `digest` at `height` among those this replica holds: proposals, its votes' blocks, the NEW-VIEW's. */
function knownBody(r: ReplicaState, height: number, digest: Uint8Array): Block | null {
  for (const p of r.proposals.get(height)?.values() ?? []) if (equalBytes(p.digest, digest)) return p.block;
  const slot = r.slots.get(height);
  const held = [slot?.latestBlock, slot?.preparedBlock, ...(r.newView?.viewChanges.flatMap((vc) => vc.blocks) ?? [])];
  for (const b of held) if (b && b.height === height && equalBytes(blockHash(b, r.hash), digest)) return b;
  return null;
}

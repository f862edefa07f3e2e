import { bytesToHex, equalBytes } from '../bytes/index.js';
import { type Block, blockHash } from './block.js';
import { isCommitCertificate, isPreparedCertificate, type Quorums } from './certificates.js';
import type { HashFunction, TxRootFunction } from './crypto.js';
import { MessageType, type ViewChange } from './messages.js';

/**
 * Structural check of a VIEW-CHANGE (its signatures, including the embedded certificates, are
 * verified in the step's batch): a commit certificate for the reported height, a prepared
 * certificate and a latest vote only for the next slot and from earlier views, the latest vote
 * signed by the sender itself, and the bodies of both named blocks (so the chosen one is known),
 * each matching its header's transaction root. `start` is where the set's chain starts: genesis
 * (height 0 and the genesis hash) or an epoch start, the one height reported without a certificate.
 */
export function isValidViewChange(vc: ViewChange, q: Quorums, start: { height: number; hash: Uint8Array }, hash: HashFunction, txRoot: TxRootFunction): boolean {
  const { height, hash: committedHash, cert } = vc.committed;
  if (height === start.height) {
    if (cert.length !== 0 || !equalBytes(committedHash, start.hash)) return false;
  } else if (height < start.height || !isCommitCertificate(cert, q, height, committedHash)) {
    return false;
  }
  const slot = height + 1;
  if (vc.prepared.length > 0) {
    const p = vc.prepared[0];
    if (!isPreparedCertificate(vc.prepared, q) || p.seq !== slot || p.view >= vc.newView) return false;
  }
  const latest = vc.latest;
  if (latest && (latest.type !== MessageType.Prepare || latest.sender !== vc.sender || latest.seq !== slot || latest.view >= vc.newView)) return false;
  const digests = vc.blocks.map((block) => (block.height === slot ? blockHash(block, hash) : null));
  const carried = (d: Uint8Array) => digests.some((x) => x !== null && equalBytes(x, d));
  if (digests.includes(null) || vc.blocks.length > 2) return false;
  if (vc.blocks.some((b) => !equalBytes(txRoot(b.txs), b.txRoot))) return false;
  if (vc.prepared.length > 0 && !carried(vc.prepared[0].digest)) return false;
  return latest === null || carried(latest.digest);
}

/** The new primary's decision, recomputed by every backup from the same 2f+1 VIEW-CHANGEs. */
export interface NewViewDecision {
  /** Highest committed height proven in the view changes, and its block hash. */
  base: { height: number; hash: Uint8Array };
  /** Digest the new view must re-propose at base.height + 1, or null when the slot is free. */
  digest: Uint8Array | null;
  /** Which rule chose `digest`. */
  rule: 'votes' | 'prepared' | 'null';
  /** The body of the chosen block, when some view change carried it. */
  block: Block | null;
}

/**
 * The deterministic choice for the first undecided slot (the rule of SBFT; Abraham et al. 2017):
 * 1. everything up to the highest height with a commit certificate is decided (the commit proof);
 * 2. else a digest with ≥ f+1 latest-vote reports from views above the highest prepared
 *    certificate's view — if a block committed on the fast path (all n PREPAREs in view v), every
 *    honest replica's latest vote is for it from a view ≥ v, so ≥ f+1 of any 2f+1 report it,
 *    while a conflicting digest can gather at most the f Byzantine reports;
 * 3. else the digest of the highest prepared certificate (PBFT's rule, covering slow commits);
 * 4. else null: nothing can have committed, and the slot is free for a new block.
 * Replicas vote for slot h+1 only after committing h, so only one slot is ever undecided.
 * Ties among several qualifying digests (possible only when none committed) go to the larger
 * (f+1)-th highest report view, then the smaller digest, so every replica picks the same.
 */
export function decideNewView(vcs: ViewChange[], q: Quorums, hash: HashFunction): NewViewDecision {
  let base = vcs[0].committed;
  for (const vc of vcs) if (vc.committed.height > base.height) base = vc.committed;
  const slot = base.height + 1;
  const reports = vcs.filter((vc) => vc.committed.height === base.height);
  let preparedView = -1;
  let preparedDigest: Uint8Array | null = null;
  for (const vc of reports) {
    const p = vc.prepared[0];
    if (!p || p.seq !== slot) continue;
    if (p.view > preparedView || (p.view === preparedView && preparedDigest && compare(p.digest, preparedDigest) < 0)) {
      preparedView = p.view;
      preparedDigest = p.digest;
    }
  }
  const byDigest = new Map<string, { digest: Uint8Array; views: number[] }>();
  for (const vc of reports) {
    const v = vc.latest;
    if (!v || v.seq !== slot || v.view <= preparedView) continue;
    const key = bytesToHex(v.digest);
    const entry = byDigest.get(key) ?? { digest: v.digest, views: [] };
    entry.views.push(v.view);
    byDigest.set(key, entry);
  }
  let best: { digest: Uint8Array; rank: number } | null = null;
  for (const { digest, views } of byDigest.values()) {
    if (views.length < q.f + 1) continue;
    const rank = views.sort((a, b) => b - a)[q.f];
    if (!best || rank > best.rank || (rank === best.rank && compare(digest, best.digest) < 0)) best = { digest, rank };
  }
  const digest = best ? best.digest : preparedDigest;
  const rule = best ? 'votes' : preparedDigest ? 'prepared' : 'null';
  let block: Block | null = null;
  if (digest) {
    for (const vc of reports) {
      block = vc.blocks.find((b) => equalBytes(blockHash(b, hash), digest)) ?? null;
      if (block) break;
    }
  }
  return { base: { height: base.height, hash: base.hash }, digest, rule, block };
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

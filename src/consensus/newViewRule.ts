import { bytesToHex, equalBytes } from '../bytes/index.js';
import { type Block, blockHash } from './block.js';
import { isCommitCertificate, isPreparedCertificate, type Quorums } from './certificates.js';
import type { HashFunction, TxRootFunction } from './crypto.js';
import { MAX_PIPELINE } from './config.js';
import { MessageType, type SlotReport, type ViewChange } from './messages.js';

/** The slot reports of a VIEW-CHANGE, first slot (height+1) first. */
export function slotReports(vc: ViewChange): SlotReport[] {
  return [vc, ...vc.ahead];
}

/**
 * Structural check of a VIEW-CHANGE (its signatures, including the embedded certificates, are
 * verified in the step's batch): a commit certificate for the reported height; for each slot
 * reported (height+1 onwards, at most `slots`), a prepared certificate and a latest vote only
 * for that slot and from earlier views, the latest vote signed by the sender itself; the bodies
 * of every named block (so a chosen one is known), each for a reported slot and matching its
 * header's transaction root. `start` is where the set's chain starts: genesis (height 0 and the
 * genesis hash) or an epoch start, the one height reported without a certificate.
 */
export function isValidViewChange(vc: ViewChange, q: Quorums, start: { height: number; hash: Uint8Array }, hash: HashFunction, txRoot: TxRootFunction, slots = MAX_PIPELINE): boolean {
  const { height, hash: committedHash, cert } = vc.committed;
  if (height === start.height) {
    if (cert.length !== 0 || !equalBytes(committedHash, start.hash)) return false;
  } else if (height < start.height || !isCommitCertificate(cert, q, height, committedHash)) {
    return false;
  }
  const reports = slotReports(vc);
  if (reports.length > slots || vc.blocks.length > 2 * reports.length) return false;
  const last = reports[reports.length - 1];
  if (reports.length > 1 && last.prepared.length === 0 && last.latest === null) return false;
  const digests = vc.blocks.map((block) => (block.height > height && block.height <= height + reports.length ? blockHash(block, hash) : null));
  if (digests.includes(null)) return false;
  if (vc.blocks.some((b) => !equalBytes(txRoot(b.txs), b.txRoot))) return false;
  const carried = (d: Uint8Array, slot: number) => vc.blocks.some((b, i) => b.height === slot && equalBytes(digests[i] as Uint8Array, d));
  for (let i = 0; i < reports.length; i++) {
    const slot = height + 1 + i;
    const { prepared, latest } = reports[i];
    if (prepared.length > 0) {
      const p = prepared[0];
      if (!isPreparedCertificate(prepared, q) || p.seq !== slot || p.view >= vc.newView || !carried(p.digest, slot)) return false;
    }
    if (latest && (latest.type !== MessageType.Prepare || latest.sender !== vc.sender || latest.seq !== slot || latest.view >= vc.newView || !carried(latest.digest, slot))) return false;
  }
  return true;
}

/** The new view's choice for one slot above the base. */
interface SlotDecision {
  seq: number;
  /** Digest the new view must re-propose at `seq`. */
  digest: Uint8Array;
  /** Which rule chose it. */
  rule: 'votes' | 'prepared';
  /** Its body, when some view change carried it. */
  block: Block | null;
}

/** The new primary's decision, recomputed by every backup from the same 2f+1 VIEW-CHANGEs. */
export interface NewViewDecision {
  /** Highest committed height proven in the view changes, and its block hash. */
  base: { height: number; hash: Uint8Array };
  /**
   * The blocks the new view must re-propose at base.height + 1, + 2, …: a chain, each the parent
   * of the next, the first a child of the base. Slots after it are free for new blocks.
   */
  slots: SlotDecision[];
  /** Digest chosen for base.height + 1 (`slots[0]`), or null when the slot is free. */
  digest: Uint8Array | null;
  /** Which rule chose `digest`. */
  rule: 'votes' | 'prepared' | 'null';
  /** The body of the chosen block, when some view change carried it. */
  block: Block | null;
}

/**
 * The deterministic choice for the undecided slots (the rule of SBFT; Abraham et al. 2017, run
 * per slot as PBFT runs its view change per sequence number):
 * 1. everything up to the highest height with a commit certificate is decided (the commit proof);
 * 2. for each slot s above it, in order: a digest with ≥ f+1 latest-vote reports at s from views
 *    above the highest prepared certificate's view at s — if a block committed on the fast path
 *    (all n PREPAREs in view v), every honest replica's latest vote at s is for it from a view
 *    ≥ v, so ≥ f+1 of any 2f+1 report it, while a conflicting digest can gather at most the f
 *    Byzantine reports;
 * 3. else the digest of the highest prepared certificate at s (PBFT's rule, covering slow commits);
 * 4. else nothing can have committed at s: it and every slot after it are free.
 * Every VIEW-CHANGE reports each slot above its committed height (≤ the base), up to its
 * pipeline; a replica votes only in those, so a slot it does not report is one it never voted in.
 * The choices form a chain: the first must be a child of the base and each the parent of the
 * next; the chain ends before the first choice that is not. That never drops a block that could
 * have committed: a replica sends COMMIT at s only holding prepared certificates of the same view
 * for every slot from its committed height to s, and PREPAREs at s only a child of its PREPARE at
 * s − 1 in that view, so a block that could have committed has every ancestor above the base
 * chosen by steps 2–3 as well. A chosen block whose body no view change carried ends the chain
 * (its successor cannot be checked) but still binds its slot.
 * Ties among several qualifying digests (possible only when none committed) go to the larger
 * (f+1)-th highest report view, then the smaller digest, so every replica picks the same.
 */
export function decideNewView(vcs: ViewChange[], q: Quorums, hash: HashFunction): NewViewDecision {
  let base = vcs[0].committed;
  for (const vc of vcs) if (vc.committed.height > base.height) base = vc.committed;
  const slots: SlotDecision[] = [];
  let parent: Uint8Array | null = base.hash;
  for (let seq = base.height + 1; parent !== null; seq++) {
    const reports: SlotReport[] = [];
    for (const vc of vcs) {
      const report = slotReports(vc)[seq - vc.committed.height - 1];
      if (report) reports.push(report);
    }
    const choice = chooseForSlot(reports, seq, q);
    if (!choice) break;
    let block: Block | null = null;
    for (const vc of vcs) {
      block = vc.blocks.find((b) => b.height === seq && equalBytes(blockHash(b, hash), choice.digest)) ?? null;
      if (block) break;
    }
    if (block && !equalBytes(block.parent, parent)) break;
    slots.push({ seq, digest: choice.digest, rule: choice.rule, block });
    parent = block ? choice.digest : null;
  }
  const first = slots[0];
  return { base: { height: base.height, hash: base.hash }, slots, digest: first?.digest ?? null, rule: first?.rule ?? 'null', block: first?.block ?? null };
}

/** Steps 2 and 3 of `decideNewView` for one slot, from the reports that cover it. */
function chooseForSlot(reports: SlotReport[], seq: number, q: Quorums): { digest: Uint8Array; rule: 'votes' | 'prepared' } | null {
  let preparedView = -1;
  let preparedDigest: Uint8Array | null = null;
  for (const report of reports) {
    const p = report.prepared[0];
    if (!p || p.seq !== seq) continue;
    if (p.view > preparedView || (p.view === preparedView && preparedDigest && compare(p.digest, preparedDigest) < 0)) {
      preparedView = p.view;
      preparedDigest = p.digest;
    }
  }
  const byDigest = new Map<string, { digest: Uint8Array; views: number[] }>();
  for (const report of reports) {
    const v = report.latest;
    if (!v || v.seq !== seq || v.view <= preparedView) continue;
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
  if (best) return { digest: best.digest, rule: 'votes' };
  return preparedDigest ? { digest: preparedDigest, rule: 'prepared' } : null;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

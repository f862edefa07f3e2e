import { equalBytes } from '../bytes/index.js';
import { type Block, blockHash, encodeBlock } from './block.js';
import { decodeMessage, MessageType, type NewView, signComplaints, signNewView, signViewChange, type ViewChange } from './messages.js';
import { reportNewView, reportViewChange } from './equivocation.js';
import { commit } from './execute.js';
import { decideNewView, isValidViewChange, type NewViewDecision } from './newViewRule.js';
import { tryProgress } from './normalCase.js';
import { committedPosition, primaryOf, type ReplicaState } from './state.js';
import type { StepOutput } from './step.js';

// The view-change phase: leaving a view whose primary makes no progress, collecting 2f+1
// VIEW-CHANGEs, the new primary's NEW-VIEW, and entering the view by re-running the choice
// (`decideNewView`, the pure rule in newViewRule.ts).

function startViewChange(r: ReplicaState, out: StepOutput, newView: number): void {
  if (newView <= r.view) return;
  // Leaving a view change that never installed: keep re-sending that VIEW-CHANGE too. It still
  // reports every vote this replica cast below it, and peers that missed it may need it for a
  // quorum (otherwise one replica can sit alone in a higher view while the rest wait below).
  r.previousViewChange = r.inViewChange ? (r.viewChanges.get(r.view)?.get(r.id)?.bytes ?? null) : null;
  // Whether it installed or not, the view failed: the next ones wait longer (reset by progress).
  r.failedViews++;
  r.viewSince = r.now;
  r.view = newView;
  r.inViewChange = true;
  r.quorumAt = Infinity;
  r.decision = null;
  out.hardDirty = true;
  const frame = buildViewChange(r, out);
  out.broadcast(frame);
  storeViewChange(r, out, decodeMessage(frame) as ViewChange);
}

/**
 * This replica's VIEW-CHANGE: its committed position (the floor, if recovery left its log below
 * it) and its votes in each slot above it, up to the pipeline depth, with the blocks they name.
 */
export function buildViewChange(r: ReplicaState, out: StepOutput): Uint8Array {
  const blocks: Block[] = [];
  const digests: Uint8Array[] = [];
  const addBlock = (b: Block | null, digest: Uint8Array) => {
    if (!b || digests.some((d) => equalBytes(d, digest))) return;
    blocks.push(b);
    digests.push(digest);
  };
  const committed = committedPosition(r);
  const reports: { prepared: Uint8Array[]; latest: Uint8Array | null }[] = [];
  for (let seq = committed.height + 1; seq <= committed.height + r.cfg.pipeline; seq++) {
    const slot = r.slots.get(seq);
    const prepared = slot?.prepared ?? [];
    const latest = slot?.latest ?? null;
    if (prepared.length) addBlock(slot?.preparedBlock ?? null, prepared[0].digest);
    if (latest) addBlock(slot?.latestBlock ?? null, latest.digest);
    reports.push({ prepared: prepared.map((v) => v.bytes), latest: latest?.bytes ?? null });
  }
  // A frame never ends with a slot without votes (`isValidViewChange`).
  while (reports.length > 1 && reports[reports.length - 1].prepared.length === 0 && reports[reports.length - 1].latest === null) reports.pop();
  out.stats.signed++;
  return signViewChange(r.signer, r.id, {
    newView: r.view,
    committed,
    prepared: reports[0].prepared,
    latest: reports[0].latest,
    ahead: reports.slice(1),
    blocks: blocks.map(encodeBlock),
  });
}

export function onViewChange(r: ReplicaState, out: StepOutput, vc: ViewChange): void {
  if (vc.newView < r.view || (vc.newView === r.view && !r.inViewChange)) {
    // A peer still trying to leave a view we already left: help it with our NEW-VIEW.
    if (r.newView && vc.newView <= r.view) out.serveTo(vc.sender, vc.committed.height + 1);
    return out.drop('stale');
  }
  if (!isValidViewChange(vc, r.q, r.start, r.hash, r.cfg.txRoot, r.cfg.pipeline)) {
    r.health.suspect();
    return out.drop('invalid');
  }
  storeViewChange(r, out, vc);
  joinViewChange(r, out);
}

export function storeViewChange(r: ReplicaState, out: StepOutput, vc: ViewChange): void {
  // Above the current view only a sender's highest VIEW-CHANGE is kept: a lower one comes too late.
  if (vc.newView > r.view) for (const [view, others] of r.viewChanges) if (view > vc.newView && others.has(vc.sender)) return out.drop('stale');
  let bySender = r.viewChanges.get(vc.newView);
  if (!bySender) r.viewChanges.set(vc.newView, (bySender = new Map()));
  const held = bySender.get(vc.sender);
  if (held) {
    reportViewChange(r, out, held, vc);
    return out.drop('duplicate');
  }
  bySender.set(vc.sender, vc);
  // Above the current view keep one VIEW-CHANGE per sender, its highest: memory stays O(n).
  for (const [view, others] of r.viewChanges) {
    if (view > r.view && view < vc.newView && others.delete(vc.sender) && others.size === 0) r.viewChanges.delete(view);
  }
  if (vc.newView === r.view && r.inViewChange && bySender.size >= r.q.quorum && r.quorumAt === Infinity) r.quorumAt = r.now;
  for (const v of r.viewChanges.keys()) if (v < r.view) r.viewChanges.delete(v);
  tryNewView(r, out);
}

/**
 * PBFT's rule: once f+1 replicas want views above this one (a VIEW-CHANGE for a later view, or a
 * COMPLAINT about this view or a later one, which asks for the view after it), at least one of
 * them is honest: move to the lowest view they ask for. A replica's own complaint counts, so f+1
 * complaints move everyone, while one replica alone (or one Byzantine) moves no one. The replica
 * that moves passes on the signals it moved on (COMPLAINTS, re-sent during the view change), so
 * a Byzantine signal sent to it alone cannot take it out of the view alone: the others follow.
 */
export function joinViewChange(r: ReplicaState, out: StepOutput): void {
  const highest = new Map<number, number>();
  const signals = new Map<number, Uint8Array>();
  const want = (sender: number, view: number, frame: Uint8Array) => {
    if (view <= (highest.get(sender) ?? r.view)) return;
    highest.set(sender, view);
    signals.set(sender, frame);
  };
  for (const [view, bySender] of r.viewChanges) if (view > r.view) for (const [sender, vc] of bySender) want(sender, view, vc.bytes);
  for (const [sender, c] of r.complaints) want(sender, c.view + 1, c.bytes);
  if (highest.size < r.q.f + 1) return;
  const complaints: Uint8Array[] = [];
  const viewChanges: Uint8Array[] = [];
  for (const frame of signals.values()) (frame[1] === MessageType.Complaint ? complaints : viewChanges).push(frame);
  const leftOn = signComplaints(r.signer, r.id, r.view, complaints, viewChanges);
  startViewChange(r, out, Math.min(...highest.values()));
  out.stats.signed++;
  r.leftOn = leftOn;
  out.broadcast(leftOn);
}

function tryNewView(r: ReplicaState, out: StepOutput): void {
  const v = r.view;
  if (!r.inViewChange || primaryOf(r, v) !== r.id) return;
  const bySender = r.viewChanges.get(v);
  if (!bySender || bySender.size < r.q.quorum || !bySender.has(r.id)) return;
  // A NEW-VIEW for this view signed before a crash (its record landed, the hard state that
  // entered the view did not): peers may hold it already, so enter with it; another would be
  // equivocation.
  if (r.newView && r.newView.view === v) {
    out.broadcast(r.newView.bytes);
    return enterView(r, out, r.newView);
  }
  const chosen = [bySender.get(r.id) as ViewChange, ...[...bySender.values()].filter((x) => x.sender !== r.id)].slice(0, r.q.quorum);
  out.stats.signed++;
  const frame = signNewView(r.signer, r.id, v, chosen.map((x) => x.bytes));
  out.broadcast(frame);
  enterView(r, out, decodeMessage(frame) as NewView);
}

export function validNewView(r: ReplicaState, nv: NewView): boolean {
  if (nv.sender !== primaryOf(r, nv.view) || nv.viewChanges.length < r.q.quorum) return false;
  const senders = new Set<number>();
  for (const vc of nv.viewChanges) {
    if (vc.newView !== nv.view || senders.has(vc.sender) || !isValidViewChange(vc, r.q, r.start, r.hash, r.cfg.txRoot, r.cfg.pipeline)) return false;
    senders.add(vc.sender);
  }
  return true;
}

export function onNewView(r: ReplicaState, out: StepOutput, nv: NewView): void {
  if (r.newView) reportNewView(r, out, r.newView, nv);
  if (nv.view < r.view || (nv.view === r.view && !r.inViewChange)) return out.drop('stale');
  if (!validNewView(r, nv)) {
    r.health.suspect();
    return out.drop('invalid');
  }
  enterView(r, out, nv);
}

export function enterView(r: ReplicaState, out: StepOutput, nv: NewView): void {
  r.view = nv.view;
  r.inViewChange = false;
  r.previousViewChange = null;
  r.viewSince = r.now;
  r.myComplaint = null;
  r.leftOn = null;
  r.newView = nv;
  r.decision = decideNewView(nv.viewChanges, r.q, r.hash);
  r.lastProgress = r.now;
  out.hardDirty = true;
  for (const v of r.viewChanges.keys()) if (v <= nv.view) r.viewChanges.delete(v);
  for (const byView of r.proposals.values()) for (const v of byView.keys()) if (v < nv.view) byView.delete(v);
  const base = r.decision.base;
  if (base.height === r.height + 1) commitBase(r, out, nv);
  if (base.height > r.height) {
    // From a peer that committed the base (not itself: recovery may have left it below its own report).
    const peers = nv.viewChanges.filter((vc) => vc.sender !== r.id).sort((a, b) => b.committed.height - a.committed.height);
    if (peers.length) out.fetchFrom(peers[0].sender, true);
  }
  tryProgress(r, out, r.height + 1);
}

/**
 * The new view's base is the block right above this replica's height and it holds the body (a
 * proposal it saw or voted for): commit it with the certificate a VIEW-CHANGE proved it by. Then
 * replicas that only prepared a block do not wait on a peer that committed it and lost it since.
 */
function commitBase(r: ReplicaState, out: StepOutput, nv: NewView): void {
  const base = (r.decision as NewViewDecision).base;
  const { height, hash, cert } = (nv.viewChanges.find((vc) => vc.committed.height === base.height) as ViewChange).committed;
  let body: Block | null = null;
  for (const p of r.proposals.get(height)?.values() ?? []) if (equalBytes(p.digest, hash)) body = p.block;
  // Its own votes' blocks, else the bodies the view changes carry (a replica that prepared it reports it).
  const slot = r.slots.get(height);
  const known = [slot?.latestBlock ?? null, slot?.preparedBlock ?? null, ...nv.viewChanges.flatMap((vc) => vc.blocks)];
  for (const b of known) if (!body && b && b.height === height && equalBytes(blockHash(b, r.hash), hash)) body = b;
  if (!body || !equalBytes(body.parent, r.lastHash)) return;
  commit(r, out, body, hash, cert[0].view, cert.map((v) => v.bytes), 'transfer');
}

import { equalBytes } from '../bytes/index.js';
import type { NewView, ViewChange, Vote } from './messages.js';
import { slotReports } from './newViewRule.js';
import type { ReplicaState } from './state.js';
import type { StepOutput } from './step.js';

// Equivocation in the view change: frames of one validator for the same view that no honest
// replica sends both of. Votes have their own check (VoteStore); these complete it for the
// VIEW-CHANGEs and NEW-VIEWs a replica holds. Each held frame is reported once, however often the
// second one is re-sent.

function sameVote(a: Vote | null, b: Vote | null): boolean {
  if (!a || !b) return a === b;
  return a.view === b.view && equalBytes(a.digest, b.digest);
}

/** Whether two VIEW-CHANGEs report the same votes (view and digest) in every slot. */
export function sameSlotReports(a: ViewChange, b: ViewChange): boolean {
  const x = slotReports(a);
  const y = slotReports(b);
  if (x.length !== y.length) return false;
  return x.every((s, i) => sameVote(s.latest, y[i].latest) && sameVote(s.prepared[0] ?? null, y[i].prepared[0] ?? null));
}

/**
 * `vc` from the sender of `held`, for the same new view. An honest replica re-sends the one it
 * built; rebuilt after a restart it may report a higher committed height, but at one committed
 * height its votes in the slots above cannot change while it is in the view change (it does not
 * vote then, and its votes survive a restart): other votes, or one left out, is a lie to someone.
 */
export function reportViewChange(r: ReplicaState, out: StepOutput, held: ViewChange, vc: ViewChange): void {
  if (vc.sender === r.id || r.reportedEquivocations.has(held) || equalBytes(held.bytes, vc.bytes)) return;
  if (held.committed.height !== vc.committed.height) return;
  if (sameSlotReports(held, vc)) return;
  r.reportedEquivocations.add(held);
  out.evidence.push({ kind: 'view-change-equivocation', validator: vc.sender, publicKey: r.cfg.validators[vc.sender], view: vc.newView, first: held.bytes, second: vc.bytes });
}

/** `nv` for the view `held` started: an honest primary signs one NEW-VIEW per view. */
export function reportNewView(r: ReplicaState, out: StepOutput, held: NewView, nv: NewView): void {
  if (nv.view !== held.view || nv.sender !== held.sender || held.sender === r.id || r.reportedEquivocations.has(held) || equalBytes(held.bytes, nv.bytes)) return;
  r.reportedEquivocations.add(held);
  out.evidence.push({ kind: 'new-view-equivocation', validator: nv.sender, publicKey: r.cfg.validators[nv.sender], view: nv.view, first: held.bytes, second: nv.bytes });
}

import { type Complaints, decodeVote, MessageType, type Vote } from './messages.js';
import { type ReplicaState, sign } from './state.js';
import type { StepOutput } from './step.js';
import { joinViewChange, storeViewChange } from './viewChange.js';

// Leaving a view takes f+1 replicas. A replica whose timer fires (an installed view that stalls,
// or a view change whose NEW-VIEW does not come) does not leave at once: it broadcasts a
// COMPLAINT about its view (a signed, non-binding wish) and keeps working in it.
// Once f+1 replicas complained, at least one honest replica is stuck, and everyone leaves
// together (`joinViewChange`; during a view change VIEW-CHANGEs for later views count too). One replica that alone saw
// no progress (it was cut off, or a Byzantine primary singled it out) stays in the view and
// catches up, instead of sitting alone in a view change nobody joins. It cannot safely come back
// down instead: its VIEW-CHANGE for the higher view may already be in that view's NEW-VIEW,
// which must not miss a vote it casts afterwards in a lower one.

const NO_DIGEST = new Uint8Array(32);

/** A COMPLAINT as `complain` signs it: seq 0 and a zero digest (then one replica signs one frame per view). */
export function isComplaint(v: Vote): boolean {
  return v.type === MessageType.Complaint && v.seq === 0 && v.digest.every((b) => b === 0);
}
/** Complaints about views more than this far ahead are not stored (one per sender is kept anyway). */
const COMPLAINT_WINDOW = 4;

/**
 * This replica gives up on its current view (installed and stalled, or never installed): complain
 * once (re-sent by retransmission) and leave if f+1 agree.
 */
export function complain(r: ReplicaState, out: StepOutput): void {
  if (r.myComplaint?.view === r.view) return;
  const frame = sign(r, out, MessageType.Complaint, r.view, 0, NO_DIGEST);
  r.myComplaint = { view: r.view, frame };
  r.complaints.set(r.id, decodeVote(frame));
  out.broadcast(frame);
  joinViewChange(r, out);
}

export function onComplaint(r: ReplicaState, out: StepOutput, v: Vote): void {
  if (!isComplaint(v)) return out.drop('invalid');
  // A peer stuck in a view this replica left: send it the NEW-VIEW (rate-limited per peer).
  if (v.view < r.view && r.newView) out.serveTo(v.sender, r.height + 1);
  const reason = storeComplaint(r, v);
  if (reason) return out.drop(reason);
  joinViewChange(r, out);
}

/**
 * The complaints that made a peer leave a view: taken as if each had arrived, so a replica the
 * original complaints missed (a Byzantine one complained to some replicas only) follows too.
 */
export function onComplaints(r: ReplicaState, out: StepOutput, m: Complaints): void {
  if (m.view < r.view) {
    if (r.newView) out.serveTo(m.sender, r.height + 1);
    return out.drop('stale');
  }
  let stored = 0;
  // Its own complaint among them counts too: it signed it (before a restart, say), so it holds.
  for (const c of m.complaints) if (storeComplaint(r, c) === null) stored++;
  for (const vc of m.viewChanges) {
    if (vc.sender === r.id || vc.newView <= r.view || r.viewChanges.get(vc.newView)?.has(vc.sender)) continue;
    storeViewChange(r, out, vc);
    stored++;
  }
  if (stored === 0) return out.drop('duplicate');
  joinViewChange(r, out);
}

function storeComplaint(r: ReplicaState, v: Vote): 'stale' | 'outOfWindow' | 'duplicate' | null {
  if (v.view < r.view) return 'stale';
  if (v.view > r.view + COMPLAINT_WINDOW) return 'outOfWindow';
  if (v.view <= (r.complaints.get(v.sender)?.view ?? -1)) return 'duplicate';
  r.complaints.set(v.sender, v);
  return null;
}

import type { SignatureCheck } from './crypto.js';
import type { Message, SignedPart, ViewChange } from './messages.js';

// What a frame asks the verifier for: every signature it carries, its own and those of the votes,
// certificates and frames embedded in it, each checked in the step's one batch.

/** Every signed object inside `m` (the message itself and all embedded votes and certificates). */
export function signedParts(m: Message): SignedPart[] {
  switch (m.kind) {
    case 'vote':
    case 'fetch':
    case 'forward':
      return [m];
    case 'preprepare':
      return [m.vote];
    case 'complaints':
      return [m, ...m.complaints, ...m.viewChanges.flatMap(viewChangeParts)];
    case 'viewchange':
      return viewChangeParts(m);
    case 'newview':
      return [m, ...m.viewChanges.flatMap(viewChangeParts)];
    case 'transfer':
      return [
        m,
        ...(m.checkpoint?.cert ?? []),
        ...(m.checkpoint?.blockCert ?? []),
        ...m.blocks.flatMap((b) => b.cert),
        ...(m.newView ? signedParts(m.newView) : []),
      ];
  }
}

function viewChangeParts(vc: ViewChange): SignedPart[] {
  const parts: SignedPart[] = [vc, ...vc.committed.cert];
  for (const slot of [vc, ...vc.ahead]) {
    parts.push(...slot.prepared);
    if (slot.latest) parts.push(slot.latest);
  }
  return parts;
}

/** Signature checks for `parts`, or null if one names a sender outside the validator set. */
export function checksFor(parts: SignedPart[], validators: Uint8Array[]): SignatureCheck[] | null {
  const out: SignatureCheck[] = [];
  for (const p of parts) {
    const publicKey = validators[p.sender];
    if (publicKey === undefined) return null;
    out.push({ publicKey, message: p.signed, signature: p.signature });
  }
  return out;
}

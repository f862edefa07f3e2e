import { DecodeError, Reader, type ValidatorSet, Writer } from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import { findForkCulprits, type ForkCulprit } from '../validators/index.js';

// A fork seen by the light client: two headers at one height, each with a commit certificate
// that verifies under the trusted set. PBFT allows that only when more than f validators signed
// both sides; accountable safety (`findForkCulprits`) names at least f+1 of them, each with its
// vote frame from each certificate — the evidence a slashing transaction carries.

/** One side of a fork: the header, its certificate, and the source that gave it. */
export interface ForkSide {
  source: string;
  hash: Uint8Array;
  header: Uint8Array;
  certificate: Uint8Array[];
}

/** What the client reports (and keeps) when it sees a fork. */
export interface ForkEvidence {
  height: number;
  /** The side the client had trusted first. */
  trusted: ForkSide;
  /** The side that conflicts with it. */
  conflicting: ForkSide;
  /** Validators that signed both certificates, with a frame from each (at least f+1). */
  culprits: ForkCulprit[];
}

/** The evidence of a fork at `height` between two certified headers of `set`. */
export function forkEvidence(set: ValidatorSet, height: number, trusted: ForkSide, conflicting: ForkSide): ForkEvidence {
  const culprits = findForkCulprits(set, sha256, { height, digest: trusted.hash, cert: trusted.certificate }, { height, digest: conflicting.hash, cert: conflicting.certificate });
  return { height, trusted, conflicting, culprits };
}

const VERSION = 1;
const utf8 = new TextEncoder();

/** The evidence as the store keeps it (the culprits are derived again when it is read). */
export function encodeFork(e: ForkEvidence): Uint8Array {
  const w = new Writer(512).u8(VERSION).u64(e.height);
  for (const side of [e.trusted, e.conflicting]) w.bytes(utf8.encode(side.source)).raw(side.hash).bytes(side.header).list(side.certificate);
  return w.finish();
}

/** `encodeFork`'s bytes back to evidence under `set`; throws `DecodeError` on other bytes. */
export function decodeFork(bytes: Uint8Array, set: ValidatorSet): ForkEvidence {
  const r = new Reader(bytes);
  if (r.u8() !== VERSION) throw new DecodeError('unknown fork record version');
  const height = r.u64();
  const side = (): ForkSide => ({ source: new TextDecoder().decode(r.bytes(4096)), hash: r.raw(32).slice(), header: r.bytes(1024).slice(), certificate: r.list(65535).map((f) => f.slice()) });
  const trusted = side();
  const conflicting = side();
  r.end();
  return forkEvidence(set, height, trusted, conflicting);
}

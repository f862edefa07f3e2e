import type { CommitProofFailure } from '../consensus/index.js';
import { SwarmguardError } from '../errors/index.js';
import type { ForkEvidence } from './fork.js';

/**
 * Why an answer of a source was refused (stable strings, counted per source):
 * - `malformed`: not an answer of the RPC's shape (JSON, hex, sizes, an undecodable header or proof);
 * - `wrong-height`: a header of another height than the one asked for or announced (a replayed old header);
 * - `wrong-hash`: the hash it names is not its header's;
 * - `bad-certificate`: the certificate does not commit the header under the trusted validator set
 *   and consensus domain (`detail` says why: a forged or foreign-chain signature is `bad-signature`,
 *   a signer outside the set `unknown-signer` or `bad-signature`, too few votes `too-few-signatures`…);
 * - `broken-link`: a certified header whose parent is not the trusted header below it (or that is
 *   not the parent the trusted header above it names);
 * - `wrong-checkpoint`: the header at the trusted checkpoint's height is not the checkpoint;
 * - `bad-proof`: a transaction's commit proof does not verify (`detail` says why);
 * - `wrong-transaction`: the transaction it gave for an id does not hash to that id.
 */
export type LieReason = 'malformed' | 'wrong-height' | 'wrong-hash' | 'bad-certificate' | 'broken-link' | 'wrong-checkpoint' | 'bad-proof' | 'wrong-transaction';

/** Every `LieReason`, in a stable order (for counters). */
export const LIE_REASONS: readonly LieReason[] = ['malformed', 'wrong-height', 'wrong-hash', 'bad-certificate', 'broken-link', 'wrong-checkpoint', 'bad-proof', 'wrong-transaction'];

/** A source's answer the client refused: who, why, at which height, and a sentence for people. */
export interface Lie {
  /** The source's RPC base URL. */
  source: string;
  reason: LieReason;
  /** The consensus check that failed, for `bad-certificate` and `bad-proof`; else null. */
  detail: CommitProofFailure | null;
  /** The height concerned, when known. */
  height: number | null;
  message: string;
}

/** What a source failed to do for one request: a refused answer (a lie), no answer, or no such data. */
export interface SourceFailure {
  source: string;
  /** A lie's reason; `unreachable` (no answer, a timeout, an error status); `unavailable` (it does not hold what was asked). */
  reason: LieReason | 'unreachable' | 'unavailable';
  message: string;
}

function listed(failures: readonly SourceFailure[]): string {
  return failures.length === 0 ? 'no source was asked' : failures.map((f) => `${f.source}: ${f.reason} (${f.message})`).join('; ');
}

/**
 * Two sources gave conflicting certified headers at one height: more than f validators signed
 * both. `evidence` holds both headers with their certificates and the validators that signed
 * both (`findForkCulprits`). The client stops trusting anything new once it has seen one.
 */
export class ForkDetectedError extends SwarmguardError {
  override readonly name: string = 'ForkDetectedError';
  readonly evidence: ForkEvidence;
  constructor(message: string, evidence: ForkEvidence) {
    super('ERR_LIGHT_FORK', message);
    this.evidence = evidence;
  }
}

/** The `ForkDetectedError` of `evidence`, its message naming the height, both sources and the culprits. */
export function forkError(evidence: ForkEvidence): ForkDetectedError {
  const { height, trusted, conflicting, culprits } = evidence;
  return new ForkDetectedError(
    `light client: fork at height ${height}: ${trusted.source} and ${conflicting.source} gave two certified headers; ${culprits.length} validators signed both (${culprits.map((c) => c.validator).join(', ')})`,
    evidence,
  );
}

/** No source gave a verified header at `height` (each source's failure is listed). */
export class HeaderUnavailableError extends SwarmguardError {
  override readonly name: string = 'HeaderUnavailableError';
  readonly height: number;
  readonly failures: SourceFailure[];
  constructor(message: string, height: number, failures: SourceFailure[]) {
    super('ERR_LIGHT_HEADER_UNAVAILABLE', message);
    this.height = height;
    this.failures = failures;
  }
}

/** The `HeaderUnavailableError` for `height`, its message listing each source's failure. */
export function headerUnavailable(height: number, failures: SourceFailure[]): HeaderUnavailableError {
  return new HeaderUnavailableError(`light client: no source gave a verified header at height ${height}: ${listed(failures)}`, height, failures);
}

/** Every source failed to answer for a transaction, or gave a proof that does not verify. */
export class TransactionUnverifiedError extends SwarmguardError {
  override readonly name: string = 'TransactionUnverifiedError';
  readonly id: string;
  readonly failures: SourceFailure[];
  constructor(message: string, id: string, failures: SourceFailure[]) {
    super('ERR_LIGHT_TX_UNVERIFIED', message);
    this.id = id;
    this.failures = failures;
  }
}

/** The `TransactionUnverifiedError` for `id`, its message listing each source's failure. */
export function transactionUnverified(id: string, failures: SourceFailure[]): TransactionUnverifiedError {
  return new TransactionUnverifiedError(`light client: no source proved or denied transaction ${id}: ${listed(failures)}`, id, failures);
}

/** The store holds the trusted state of another validator set or checkpoint, or a record that does not verify. */
export class TrustMismatchError extends SwarmguardError {
  override readonly name: string = 'TrustMismatchError';
  constructor(message: string) {
    super('ERR_LIGHT_TRUST_MISMATCH', `light client: ${message}`);
  }
}

/** `follow()` needs a WebSocket constructor: none is global here (Node 20) and none was given. */
export class WebSocketUnavailableError extends SwarmguardError {
  override readonly name: string = 'WebSocketUnavailableError';
  constructor() {
    super('ERR_LIGHT_NO_WEBSOCKET', 'LightClient.follow: no WebSocket here: pass options.WebSocket (on Node 20, the `ws` package\'s WebSocket)');
  }
}

/** The client was closed: it answers nothing more. */
export class LightClientClosedError extends SwarmguardError {
  override readonly name: string = 'LightClientClosedError';
  constructor(where: string) {
    super('ERR_LIGHT_CLOSED', `${where}: the light client is closed`);
  }
}

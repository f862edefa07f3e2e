import { equalBytes } from '../bytes/index.js';
import { requireInteger } from '../check/index.js';
import { genesisParent, type ValidatorSet, validatorSetId } from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import { Emitter, type Unsubscribe } from '../resilience/index.js';
import { loadDefaults } from '../wasm/index.js';
import { ForkDetectedError, forkError, headerUnavailable, LIE_REASONS, type Lie, type LieReason, LightClientClosedError, type SourceFailure, TrustMismatchError, WebSocketUnavailableError } from './errors.js';
import { decodeFork, encodeFork, type ForkEvidence, forkEvidence } from './fork.js';
import { checkHeaders, type HeaderAnswer, isRefusal, type Refusal, refusal, type TrustedHeader } from './headers.js';
import { HEADERS_PER_REQUEST, NodeSource, parseHeader } from './source.js';
import { type SetRecord, type StoredHeader, TrustedStore } from './store.js';
import { HeaderStream, type WebSocketConstructor } from './stream.js';
import { checkedOptions, type LightClientOptions } from './options.js';
import { trustRoot } from './trust.js';
import { verifyTransactionWith, type TxVerdict, type VerifyTransactionOptions } from './transactions.js';

// A client that trusts no server (CometBFT's light client in small): from a trusted validator set
// and a trusted header (genesis, or a checkpoint), it follows the chain header by header, each
// trusted only when its commit certificate verifies under the set and it links by parent hash to
// the header below; it checks transactions' commit proofs against the headers it trusts. Every
// source is checked on its own: a refused answer is a lie, reported and counted per source, and
// two certified headers at one height are a fork, reported with its culprits — never resolved by
// picking one. Its store only ever receives verified headers. One operation at a time touches
// the trusted state (a queue), so headers from many sources land in order.

/** A newly trusted header and the source that gave it. */
export interface TrustedHeaderEvent extends TrustedHeader {
  source: string;
}

/** What the client knows of one source. */
export interface SourceStats {
  url: string;
  /** Headers it gave first (now trusted), and headers it gave that agreed with ones trusted already. */
  headers: number;
  confirmations: number;
  /** Its answers refused, by reason. */
  lies: Record<LieReason, number>;
  /** Requests it did not answer (network, timeout, error status). */
  unreachable: number;
  /** Header-stream connections opened and dropped. */
  streamConnects: number;
  streamDrops: number;
}

export class LightClient {
  private tip: StoredHeader | null;
  private forked: ForkEvidence | null;
  private streams: HeaderStream[] | null = null;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly stats = new Map<string, SourceStats>();
  private readonly headerEvents = new Emitter<TrustedHeaderEvent>();
  private readonly lieEvents = new Emitter<Lie>();
  private readonly forkEvents = new Emitter<ForkEvidence>();

  private constructor(
    private readonly store: TrustedStore,
    private readonly root: SetRecord,
    private readonly sources: NodeSource[],
    private readonly Socket: WebSocketConstructor | undefined,
    tip: StoredHeader | null,
    fork: ForkEvidence | null,
  ) {
    this.tip = tip;
    this.forked = fork;
    for (const s of sources) {
      this.stats.set(s.url, { url: s.url, headers: 0, confirmations: 0, lies: Object.fromEntries(LIE_REASONS.map((r) => [r, 0])) as Record<LieReason, number>, unreachable: 0, streamConnects: 0, streamDrops: 0 });
    }
  }

  /**
   * Opens the client on its store: a fresh store takes the trusted set (and, from a checkpoint, the
   * checkpoint's header, fetched and checked now); a store written before resumes from its highest
   * trusted header after checking it. Throws `TrustMismatchError` when the store holds another set
   * or checkpoint, `HeaderUnavailableError` when no source gives the checkpoint's header (the
   * storage is then left open: the caller's to close or use again).
   */
  static async open(options: LightClientOptions): Promise<LightClient> {
    const where = 'LightClient.open';
    const { set, checkpoint, urls, storage, Socket, timeoutMs } = checkedOptions(options, where);
    // The WASM compiled without blocking (a page's main thread needs it before hashing), on the
    // backend the application chose if it did; ML-DSA's only for a hybrid network, so an Ed25519
    // network's page never downloads it.
    await loadDefaults(set.signatures === 'ed25519+mldsa65' ? ['pq'] : []);
    const store = new TrustedStore(storage);
    const wanted = trustRoot(set, checkpoint);
    const root = await LightClient.rootOf(store, wanted, checkpoint);
    const tipHeight = await store.tip();
    const tip = tipHeight === undefined ? null : ((await store.header(tipHeight)) ?? null);
    if (tipHeight !== undefined && tip === null) throw new TrustMismatchError(`the store's tip names height ${tipHeight}, whose header it lacks`);
    if (tip !== null) {
      const again = checkHeaders([{ height: tip.height, hash: tip.hash, header: tip.header, certificate: tip.certificate }], [tip.height], root.set)[0];
      if (isRefusal(again)) throw new TrustMismatchError(`the store's highest header (height ${tip.height}) does not verify under the trusted set: ${again.message}`);
    }
    const forkBytes = await store.fork();
    let fork: ForkEvidence | null = null;
    if (forkBytes !== undefined) {
      try {
        fork = decodeFork(forkBytes, root.set);
      } catch (err) {
        throw new TrustMismatchError(`the store's fork record does not hold: ${(err as Error).message}`);
      }
    }
    const client = new LightClient(store, root, urls.map((u) => new NodeSource(u, timeoutMs)), Socket, tip, fork);
    if (root.height > 0 && tip === null && fork === null) await client.exclusive(where, () => client.trustedAt(root.height, where));
    return client;
  }

  /** The set record the store holds for `wanted` (written now when the store is fresh). */
  private static async rootOf(store: TrustedStore, wanted: SetRecord, checkpoint: { height: number; hash: Uint8Array } | undefined): Promise<SetRecord> {
    const sets = await store.sets();
    if (sets.length === 0) {
      await store.write(store.setOps(wanted));
      return wanted;
    }
    const held = sets[sets.length - 1];
    if (!equalBytes(validatorSetId(held.set, sha256), validatorSetId(wanted.set, sha256))) {
      throw new TrustMismatchError(`the store trusts another validator set (chain ${JSON.stringify(held.set.chainId)}, epoch ${held.set.epoch ?? 0}, ${held.set.validators.length} validators)`);
    }
    if (checkpoint && !(held.height === checkpoint.height && equalBytes(held.hash, checkpoint.hash))) {
      const header = await store.header(checkpoint.height);
      if (!header || !equalBytes(header.hash, checkpoint.hash)) throw new TrustMismatchError(`the store was started from another header than the checkpoint at height ${checkpoint.height}`);
    }
    return held;
  }

  /** The validator set every certificate is checked against. */
  get validatorSet(): ValidatorSet {
    return this.root.set;
  }

  /** The highest trusted height of the chain followed from the root (0 before the first header after genesis). */
  get height(): number {
    return this.tip?.height ?? 0;
  }

  /** The highest trusted header, or null before the first. */
  get latest(): TrustedHeader | null {
    return this.tip;
  }

  /** The evidence of the fork this client saw, or null: with one, every operation throws `ForkDetectedError`. */
  get fork(): ForkEvidence | null {
    return this.forked;
  }

  /** Calls `listener` with each header newly trusted. */
  onHeader(listener: (event: TrustedHeaderEvent) => void): Unsubscribe {
    return this.headerEvents.on(listener, 'LightClient.onHeader');
  }

  /** Calls `listener` with each answer of a source the client refused. */
  onLie(listener: (lie: Lie) => void): Unsubscribe {
    return this.lieEvents.on(listener, 'LightClient.onLie');
  }

  /** Calls `listener` once, when the client sees a fork (see `ForkDetectedError`). */
  onFork(listener: (evidence: ForkEvidence) => void): Unsubscribe {
    return this.forkEvents.on(listener, 'LightClient.onFork');
  }

  /** What the client counted for each source, in the order given. */
  sourceStats(): SourceStats[] {
    return [...this.stats.values()].map((s) => ({ ...s, lies: { ...s.lies } }));
  }

  /** The trusted header at `height`: from the store, else fetched from the sources and verified first. */
  async header(height: number): Promise<TrustedHeader> {
    const where = 'LightClient.header';
    requireInteger(height, where, 'height', 1);
    return this.exclusive(where, () => this.trustedAt(height, where));
  }

  /**
   * Catches up with the sources: asks each for its height, follows the chain up to the highest
   * (the highest claimant first), then asks every source for its header at the new tip (or its own
   * height, if lower) and compares. Resolves with the highest trusted header; throws
   * `HeaderUnavailableError` when no source answered at all, `ForkDetectedError` on a fork.
   */
  sync(): Promise<TrustedHeader | null> {
    const where = 'LightClient.sync';
    return this.exclusive(where, async () => {
      const claims = await Promise.all(this.sources.map(async (source) => ({ source, answer: await source.height() })));
      const failures: SourceFailure[] = [];
      const heard: { source: NodeSource; height: number }[] = [];
      for (const { source, answer } of claims) {
        if (answer.ok) heard.push({ source, height: answer.value });
        else failures.push(this.failed(source, answer, null));
      }
      if (heard.length === 0) throw headerUnavailable(this.height + 1, failures);
      heard.sort((a, b) => b.height - a.height);
      await this.catchUp(heard[0].height, heard.map((h) => h.source), where);
      // Witnesses: each source's header at the tip (or at its own height) must be the trusted one.
      const tip = this.height;
      const checks = await Promise.all(
        heard.filter((h) => Math.min(h.height, tip) >= Math.max(1, this.root.height)).map(async ({ source, height }) => ({ source, at: Math.min(height, tip), answer: await source.headers(Math.min(height, tip), 1) })),
      );
      for (const { source, at, answer } of checks) {
        if (!answer.ok) this.failed(source, answer, at);
        else if (answer.value.length === 1) await this.accept(source, answer.value[0], at);
      }
      return this.tip;
    });
  }

  /**
   * Follows every source's header stream (WebSocket): each header pushed is verified and trusted,
   * a gap is fetched over HTTP first. Returns the function that stops following (so does `close`).
   * Throws `WebSocketUnavailableError` when there is no WebSocket class.
   */
  follow(): () => void {
    const where = 'LightClient.follow';
    if (this.closed) throw new LightClientClosedError(where);
    if (this.forked) throw forkError(this.forked);
    const Socket = this.Socket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (Socket === undefined) throw new WebSocketUnavailableError();
    this.streams ??= this.sources.map((source) => {
      const stats = this.stats.get(source.url) as SourceStats;
      return new HeaderStream(source.streamUrl, Socket, {
        message: (data) => this.pushed(source, data),
        opened: () => stats.streamConnects++,
        dropped: () => stats.streamDrops++,
      });
    });
    return () => this.stopFollowing();
  }

  /**
   * Checks that a transaction committed: `tx` is its bytes, or its id (64 hex digits, the bytes
   * then fetched from the block and checked against the id). Asks the sources in turn for its
   * commit proof, verifies the proof under the trusted set, and checks the proof's header against
   * the trusted header at that height (following the chain up to it first when needed). See
   * `TxVerdict`; throws `TransactionUnverifiedError` when no source proved or denied it.
   */
  verifyTransaction(tx: Uint8Array | string, options?: VerifyTransactionOptions): Promise<TxVerdict> {
    const where = 'LightClient.verifyTransaction';
    if (this.closed) return Promise.reject(new LightClientClosedError(where));
    if (this.forked) return Promise.reject(forkError(this.forked));
    return verifyTransactionWith(tx, options, where, {
      sources: this.sources,
      set: this.root.set,
      failed: (source, answer, height) => this.failed(source, answer, height),
      lie: (source, r, height) => this.lie(source, r, height),
      trustedAt: (height, source) => this.exclusive(where, () => this.trustedAt(height, where, source)),
      conflict: (height, source, header) => this.exclusive(where, () => this.conflict(height, source, header)),
    });
  }

  /** Stops following, lets the operation in progress finish, and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopFollowing();
    await this.queue.catch(() => undefined);
    await this.store.close();
  }

  private stopFollowing(): void {
    for (const s of this.streams ?? []) s.stop();
    this.streams = null;
  }

  /** Runs `fn` after every operation queued before it; refused once closed or forked. */
  private exclusive<T>(where: string, fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed) throw new LightClientClosedError(where);
      if (this.forked) throw forkError(this.forked);
      return fn();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A header pushed by `source`'s stream: verified and trusted in turn (a gap first fetched over HTTP). */
  private pushed(source: NodeSource, data: unknown): void {
    const where = 'LightClient.follow';
    let answer: HeaderAnswer | null = null;
    try {
      answer = typeof data === 'string' ? parseHeader(JSON.parse(data)) : null;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
    }
    if (answer === null) {
      this.lie(source, refusal('malformed', null, 'a header-stream message is not { height, hash, header, certificate } as JSON'), null);
      return;
    }
    const pushed = answer;
    this.exclusive(where, async () => {
      if (pushed.height > this.height + 1 && pushed.height > this.root.height) await this.catchUp(pushed.height - 1, [source, ...this.sources.filter((s) => s !== source)], where);
      if (pushed.height <= this.height + 1 || pushed.height < this.root.height) await this.accept(source, pushed, pushed.height);
    }).catch((err: unknown) => {
      // A fork was reported through onFork; a closed client stops quietly; anything else is a bug or a broken store.
      if (!(err instanceof ForkDetectedError) && !(err instanceof LightClientClosedError)) {
        queueMicrotask(() => {
          throw err;
        });
      }
    });
  }

  /** The trusted header at `height` (queue held): stored, or followed up to, or fetched on its own below the root. */
  private async trustedAt(height: number, where: string, preferred?: NodeSource): Promise<StoredHeader> {
    const held = await this.store.header(height);
    if (held) return held;
    const order = preferred ? [preferred, ...this.sources.filter((s) => s !== preferred)] : this.sources;
    const failures = height > this.height ? await this.catchUp(height, order, where) : [];
    for (const source of height > this.height ? [] : order) {
      const answer = await source.headers(height, 1);
      if (!answer.ok) failures.push(this.failed(source, answer, height));
      else if (answer.value.length === 0) failures.push({ source: source.url, reason: 'unavailable', message: `holds no header at height ${height}` });
      else {
        const r = await this.accept(source, answer.value[0], height);
        if (r !== null) failures.push({ source: source.url, reason: r.reason, message: r.message });
        else break;
      }
    }
    const found = await this.store.header(height);
    if (!found) throw headerUnavailable(height, failures);
    return found;
  }

  /** Follows the chain from the tip up to `target`, asking `order`'s sources in turn; the failures of those that stopped short. */
  private async catchUp(target: number, order: NodeSource[], where: string): Promise<SourceFailure[]> {
    const failures: SourceFailure[] = [];
    for (const source of order) {
      while (this.height < target && !this.closed) {
        const from = this.nextHeight();
        const answer = await source.headers(from, Math.min(HEADERS_PER_REQUEST, target - from + 1));
        if (!answer.ok) {
          failures.push(this.failed(source, answer, from));
          break;
        }
        if (answer.value.length === 0) {
          failures.push({ source: source.url, reason: 'unavailable', message: `holds no header at height ${from}` });
          break;
        }
        const verdicts = checkHeaders(answer.value, answer.value.map((_, i) => from + i), this.root.set);
        let refused: Refusal | null = null;
        for (let i = 0; i < verdicts.length && refused === null; i++) {
          const v = verdicts[i];
          refused = isRefusal(v) ? this.lie(source, v, from + i) : await this.admit(source, v);
        }
        if (refused !== null) {
          failures.push({ source: source.url, reason: refused.reason, message: refused.message });
          break;
        }
      }
      if (this.height >= target) return [];
    }
    if (this.closed) throw new LightClientClosedError(where);
    return failures;
  }

  /** Verifies one header `source` gave for `height` and admits it; the refusal (already reported), or null. */
  private async accept(source: NodeSource, answer: HeaderAnswer, height: number): Promise<Refusal | null> {
    const v = checkHeaders([answer], [height], this.root.set)[0];
    return isRefusal(v) ? this.lie(source, v, height) : this.admit(source, v);
  }

  /** The height the chain continues at: the checkpoint's own header first, then the tip's next. */
  private nextHeight(): number {
    return this.tip ? this.tip.height + 1 : Math.max(1, this.root.height);
  }

  /**
   * Admits a verified header (queue held): the same as a trusted one is a confirmation, another
   * one at a trusted height a fork; else it must be the checkpoint where the checkpoint is, and
   * link to the trusted headers on either side. Stored, then announced. The refusal, or null.
   */
  private async admit(source: NodeSource, header: TrustedHeader): Promise<Refusal | null> {
    const stats = this.stats.get(source.url) as SourceStats;
    const held = await this.store.header(header.height);
    if (held) {
      if (!equalBytes(held.hash, header.hash)) await this.conflict(header.height, source, header, held);
      stats.confirmations++;
      return null;
    }
    if (header.height === this.root.height && !equalBytes(header.hash, this.root.hash)) {
      return this.lie(source, refusal('wrong-checkpoint', null, `the header at height ${header.height} is not the trusted checkpoint`), header.height);
    }
    const below = header.height - 1 === 0 ? genesisParent(sha256) : (await this.store.header(header.height - 1))?.hash;
    if (below !== undefined && !equalBytes(header.parent, below)) return this.brokenBelow(source, header);
    const above = await this.store.header(header.height + 1);
    if (above && !equalBytes(above.parent, header.hash)) {
      return this.lie(source, refusal('broken-link', null, `the header at height ${header.height} is not the parent the trusted header above it names`), header.height);
    }
    const extends_ = header.height === this.nextHeight();
    await this.store.write(this.store.headerOps(header, source.url, this.root.set.epoch ?? 0, extends_));
    const stored: StoredHeader = { ...header, source: source.url, epoch: this.root.set.epoch ?? 0 };
    if (extends_) this.tip = stored;
    stats.headers++;
    this.headerEvents.emit(stored);
    return null;
  }

  /**
   * A certified header whose parent is not the trusted header below it: the source is on another
   * branch. When it also gives a certified header at the height below with that parent's hash, the
   * two certified headers there are a fork; otherwise the answer is refused as a broken link.
   */
  private async brokenBelow(source: NodeSource, header: TrustedHeader): Promise<Refusal> {
    const height = header.height - 1;
    const answer = height >= 1 ? await source.headers(height, 1) : null;
    if (answer?.ok && answer.value.length === 1) {
      const theirs = checkHeaders(answer.value, [height], this.root.set)[0];
      if (!isRefusal(theirs) && equalBytes(theirs.hash, header.parent)) await this.conflict(height, source, theirs);
    }
    return this.lie(source, refusal('broken-link', null, `the header at height ${header.height} does not link to the trusted header at height ${height}`), header.height);
  }

  /** Two certified headers at `height`: records the fork, stops following, reports it, and throws `ForkDetectedError`. */
  private async conflict(height: number, source: NodeSource, header: TrustedHeader, trusted?: StoredHeader): Promise<never> {
    const ours = trusted ?? (await this.store.header(height));
    if (!ours) throw new Error(`light client: no trusted header at height ${height} to compare with`);
    const evidence = forkEvidence(this.root.set, height, { source: ours.source, hash: ours.hash, header: ours.header, certificate: ours.certificate }, { source: source.url, hash: header.hash, header: header.header, certificate: header.certificate });
    await this.store.write(this.store.forkOps(encodeFork(evidence)));
    this.forked = evidence;
    this.stopFollowing();
    this.forkEvents.emit(evidence);
    throw forkError(evidence);
  }

  /** Counts and reports a refused answer; returns it. */
  private lie(source: NodeSource, r: Refusal, height: number | null): Refusal {
    (this.stats.get(source.url) as SourceStats).lies[r.reason]++;
    this.lieEvents.emit({ source: source.url, reason: r.reason, detail: r.detail, height, message: r.message });
    return r;
  }

  /** A request without a usable answer: a malformed one is a lie, no answer is counted as unreachable. */
  private failed(source: NodeSource, answer: { reason: 'unreachable' | 'malformed'; message: string }, height: number | null): SourceFailure {
    if (answer.reason === 'malformed') this.lie(source, refusal('malformed', null, answer.message), height);
    else (this.stats.get(source.url) as SourceStats).unreachable++;
    return { source: source.url, reason: answer.reason, message: answer.message };
  }
}


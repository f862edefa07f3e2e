import { bytesToHex } from '../../bytes/index.js';
import { transactionId } from '../../tx/index.js';
import { requestJson } from './httpClient.js';
import type { LoadOptions, LoadReport } from './protocol.js';
import { batchBody, type LoadTx, type SignedLoad } from './signedLoad.js';

// Open-loop submission: transactions fall due at the set rate whatever the node answers, and
// wait in the generator until sent. The accounts are split into LANES clients, each with one
// request in flight at a time (a node admits one request's transactions in order, but two
// requests may overtake each other, and an account's nonces must arrive in order); lanes take
// turns every TICK_MS and send everything of theirs that is due in one binary POST. A sample is
// followed with `?wait=` long-polls: its latency runs from the moment it fell due (time spent
// queued in the generator behind a slow node counts) to its commit proof from a node.

const TICK_MS = 5;
const LANES = 2;
/** Transactions per request at most (the RPC takes 10,000): a full pool reads a whole request before refusing it. */
const MAX_BATCH = 2000;
/** A lane whose transactions a full pool refused waits this long before it sends again (a client backing off). */
const POOL_FULL_HOLD_MS = 25;
const LONG_POLL_MS = 5000;
/** How long after the load ends what fell due may still be sent. */
const FLUSH_MS = 30_000;
/** How long after the load ends a sample may still wait for its proof. */
const CONFIRM_GRACE_MS = 30_000;
/** Refusals after which the transaction is sent again (in order): a full pool, or a nonce after a refused one. */
const RETRY = new Set(['poolFull', 'nonceGap']);
/** Refusals that mean it is already in: the same transaction pending or committed. */
const ALREADY = new Set(['pending', 'committed', 'duplicate', 'replay']);
const PRIMARY_REFRESH_MS = 250;
/** How often the node sent to is asked who the primary is and what it holds pending. */
const WATCH_MS = 50;
const REQUEST_TIMEOUT_MS = 30_000;

type Outcome = { accepted: boolean; reason?: string };

/** Whether the commit proof (hex) a node returned for a sampled transaction verifies. */
export type ProofCheck = (tx: Uint8Array, answer: { proof: string }) => boolean;

interface Lane {
  queue: LoadTx[];
  busy: boolean;
  /** No request before this time (`performance.now()`): the node's pool was full. */
  holdUntil: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class OpenLoop {
  private readonly report: LoadReport = {
    offered: 0,
    seconds: 0,
    accepted: 0,
    refused: {},
    requests: 0,
    httpErrors: 0,
    primarySwitches: 0,
    maxBacklog: 0,
    latencies: [],
    unconfirmed: 0,
    proofsVerified: 0,
    proofsFailed: 0,
  };
  private readonly lanes: Lane[] = Array.from({ length: LANES }, () => ({ queue: [], busy: false, holdUntil: 0 }));
  /** When each sampled transaction fell due. */
  private readonly samples = new Map<LoadTx, number>();
  private readonly probes: Promise<void>[] = [];
  private readonly requests = new Set<Promise<void>>();
  /** Transactions due so far at the rate (it does not grow while paused). */
  private due = 0;
  private turn = 0;
  /** Samples so far: each is followed on the next node in turn. */
  private probed = 0;
  private primary: number;
  private lastRefresh = 0;
  private refreshing = false;
  private stopped = false;
  private paused = false;
  private watching = false;

  constructor(
    private readonly load: SignedLoad,
    private readonly o: LoadOptions,
    private readonly checkProof: ProofCheck,
  ) {
    this.primary = o.primary;
  }

  /** Ends an open-ended run (`seconds: null`) at the next tick. */
  stop(): void {
    this.stopped = true;
  }

  /** Offers the load until its time is up (or `stop`), then waits for the answers and the sampled proofs. */
  async run(): Promise<LoadReport> {
    this.enqueue(this.load.takeRetries());
    const t0 = performance.now();
    const end = this.o.seconds === null ? Infinity : t0 + this.o.seconds * 1000;
    const watch = setInterval(() => void this.watchPrimary(), WATCH_MS);
    await new Promise<void>((done) => {
      let last = t0;
      let flushUntil = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        if (flushUntil === 0 && (this.stopped || now >= end)) {
          this.report.seconds = (Math.min(now, end) - t0) / 1000;
          flushUntil = now + FLUSH_MS;
        }
        if (flushUntil > 0) {
          // Time is up: nothing new falls due, but what fell due is still sent (bounded).
          if (now >= flushUntil || (this.requests.size === 0 && this.lanes.every((l) => l.queue.length === 0))) {
            clearInterval(timer);
            return done();
          }
        } else {
          if (!this.paused) this.due += (this.o.rate * (now - last)) / 1000;
          // Under back-pressure what is due does not pile up while answers are awaited: no bursts.
          if (this.o.maxPending !== null) this.due = Math.min(this.due, this.report.offered + this.o.maxPending / 4);
        }
        last = now;
        this.tick(t0, now);
      }, TICK_MS);
    });
    clearInterval(watch);
    while (this.requests.size > 0) await Promise.all(this.requests);
    // What the flush could not send goes first next time (a later load on the same chain).
    for (const lane of this.lanes) this.load.requeue(lane.queue.splice(0));
    await Promise.all(this.probes);
    return this.report;
  }

  private tick(t0: number, now: number): void {
    const count = Math.floor(this.due) - this.report.offered;
    if (count > 0) {
      const fresh = this.load.take(count);
      if (this.o.sampleEvery > 0 && now - t0 >= this.o.warmup * 1000) {
        for (let i = 0; i < fresh.length; i++) {
          const n = this.report.offered + i;
          if (n % this.o.sampleEvery === 0) this.samples.set(fresh[i], t0 + (1000 * n) / this.o.rate);
        }
      }
      this.report.offered += fresh.length;
      this.enqueue(fresh);
    }
    const backlog = this.lanes.reduce((a, l) => a + l.queue.length, 0);
    if (backlog > this.report.maxBacklog) this.report.maxBacklog = backlog;
    const lane = this.lanes[this.turn];
    this.turn = (this.turn + 1) % LANES;
    if (!this.paused && !lane.busy && now >= lane.holdUntil && lane.queue.length > 0) this.send(lane, lane.queue.splice(0, MAX_BATCH));
  }

  private enqueue(txs: LoadTx[]): void {
    for (const tx of txs) this.lanes[tx.sender % LANES].queue.push(tx);
  }

  private send(lane: Lane, txs: LoadTx[]): void {
    const url = `${this.o.rpcs[this.primary]}/v1/txs`;
    lane.busy = true;
    this.report.requests++;
    const request = this.post(url, txs).then(
      (outcomes) => this.answered(lane, txs, outcomes),
      () => {
        this.report.httpErrors++;
        lane.queue.unshift(...txs);
        void this.refreshPrimary();
      },
    );
    this.requests.add(request);
    void request.finally(() => {
      lane.busy = false;
      this.requests.delete(request);
    });
  }

  private async post(url: string, txs: LoadTx[]): Promise<Outcome[]> {
    const res = await requestJson(url, { method: 'POST', body: batchBody(txs), contentType: 'application/vnd.swarmguard.txs', timeoutMs: REQUEST_TIMEOUT_MS });
    const body = res.body as { results?: Outcome[] };
    if (res.status !== 200 || !Array.isArray(body.results) || body.results.length !== txs.length) throw new Error(`${url} answered ${res.status}`);
    return body.results;
  }

  private answered(lane: Lane, txs: LoadTx[], outcomes: Outcome[]): void {
    const again: LoadTx[] = [];
    for (let i = 0; i < txs.length; i++) {
      const { accepted, reason = '' } = outcomes[i];
      if (!accepted) this.report.refused[reason] = (this.report.refused[reason] ?? 0) + 1;
      if (accepted || ALREADY.has(reason)) {
        this.report.accepted++;
        const dueAt = this.samples.get(txs[i]);
        if (dueAt !== undefined) {
          this.samples.delete(txs[i]);
          this.probes.push(this.probe(this.o.rpcs[this.probed++ % this.o.rpcs.length], txs[i].bytes, dueAt));
        }
      } else if (RETRY.has(reason)) {
        again.push(txs[i]);
      }
    }
    if (again.length > 0) {
      // Before anything of this lane's not yet sent: its senders' nonces stay in order.
      lane.queue.unshift(...again);
      if (outcomes.some((o) => o.reason === 'poolFull')) lane.holdUntil = performance.now() + POOL_FULL_HOLD_MS;
      void this.refreshPrimary();
    }
  }

  /**
   * Long-polls one transaction at `base` (every node serves proofs: the samples go to each in
   * turn, so building them does not load the primary alone) until its commit proof arrives.
   */
  private async probe(base: string, tx: Uint8Array, dueAt: number): Promise<void> {
    const id = bytesToHex(transactionId(tx));
    const until = performance.now() + (this.o.seconds ?? 0) * 1000 + FLUSH_MS + CONFIRM_GRACE_MS;
    while (performance.now() < until) {
      let status = 0;
      let body: { status?: string; proof?: string } = {};
      try {
        const res = await requestJson(`${base}/v1/txs/${id}?wait=${LONG_POLL_MS}`, { timeoutMs: LONG_POLL_MS + REQUEST_TIMEOUT_MS });
        status = res.status;
        body = res.body as typeof body;
      } catch {
        await sleep(100);
        continue;
      }
      if (status === 200 && body.status === 'committed') {
        this.report.latencies.push(performance.now() - dueAt);
        if (this.report.proofsVerified + this.report.proofsFailed < this.o.proofs) {
          if (this.checkProof(tx, body as { proof: string })) this.report.proofsVerified++;
          else this.report.proofsFailed++;
        }
        return;
      }
      // Unknown yet (a 404 right after acceptance, or a node restarted): ask again shortly.
      if (status !== 200) await sleep(100);
    }
    this.report.unconfirmed++;
  }

  /** Asks the node last sent to (or the next one, when it does not answer) who the primary is now. */
  private async refreshPrimary(): Promise<void> {
    const now = performance.now();
    if (this.refreshing || now - this.lastRefresh < PRIMARY_REFRESH_MS) return;
    this.refreshing = true;
    this.lastRefresh = now;
    try {
      for (let k = 0; k < this.o.rpcs.length; k++) {
        const ask = (this.primary + k) % this.o.rpcs.length;
        try {
          const res = await requestJson(`${this.o.rpcs[ask]}/v1/status`, { timeoutMs: 2000 });
          const primary = (res.body as { primary?: unknown }).primary;
          if (typeof primary === 'number' && primary >= 0 && primary < this.o.rpcs.length) {
            if (primary !== this.primary) this.report.primarySwitches++;
            this.primary = primary;
            return;
          }
        } catch {
          // that node is down: ask the next one
        }
      }
    } finally {
      this.refreshing = false;
    }
  }

  /**
   * Polls the node sent to: who the primary is (a backup accepts transactions too, but forwards
   * them only after a retransmission interval, so a view change must move the load at once) and,
   * for back-pressure, how many transactions it holds pending.
   */
  private async watchPrimary(): Promise<void> {
    if (this.watching) return;
    this.watching = true;
    try {
      const res = await requestJson(`${this.o.rpcs[this.primary]}/v1/status`, { timeoutMs: 2000 });
      const { primary, pending } = res.body as { primary?: unknown; pending?: unknown };
      if (typeof primary === 'number' && primary >= 0 && primary < this.o.rpcs.length && primary !== this.primary) {
        this.report.primarySwitches++;
        this.primary = primary;
      }
      this.paused = this.o.maxPending !== null && typeof pending === 'number' && pending > this.o.maxPending;
    } catch {
      // No answer (a slow or restarting node): keep the last verdict, look for the primary elsewhere.
      void this.refreshPrimary();
    } finally {
      this.watching = false;
    }
  }
}

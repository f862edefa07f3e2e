import { Client, type CommittedBlock, clientKey, decodeRequest, encodeRequest, type ReplicaInput, type Reply } from '../consensus/index.js';
import type { InvariantChecker } from './checker.js';
import { kvSet } from './keyValueStore.js';
import type { Prng } from './prng.js';

/** Open-loop load: requests per simulated second and payload bytes. */
export interface LoadModel {
  rate: number;
  payloadBytes: number;
}

export type WorkloadEvent =
  | { kind: 'reply'; client: number; reply: Reply }
  /** A client's turn: send its next request, or resend request `seq` if still unanswered. */
  | { kind: 'client'; client: number; seq: number }
  | { kind: 'load' };

/** What the workload needs from the simulation. */
export interface WorkloadHost {
  readonly rng: Prng;
  readonly checker: InvariantChecker;
  now(): number;
  schedule(at: number, event: WorkloadEvent): void;
  /** Hands `input` to replica `i` if it is up and the client's link does not lose it. */
  submit(i: number, input: ReplicaInput): void;
  /** A reply's time on the client link, or null if lost. */
  replyLatency(reply: Reply): number | null;
  mix(...values: number[]): void;
}

const TICK_MS = 10;
const CLIENT_RETRY_MS = 400;
const LOAD_CLIENTS = 4096;

/**
 * The simulated users: closed-loop clients (one request outstanding each, resent until f+1
 * matching replies) or an open-loop load at a fixed rate, whose submit-to-commit latencies it
 * records. Every request is registered with the checker, which proves validity against it.
 */
export class Workload {
  readonly latencies: number[] = [];
  private readonly clients: Client[] = [];
  private readonly submittedAt = new Map<string, number>();
  private readonly loadClients: Uint8Array[] = [];
  private loadCounter = 0;

  constructor(
    private readonly host: WorkloadHost,
    private readonly n: number,
    private readonly clientCount: number,
    private readonly load: LoadModel | undefined,
  ) {
    if (load) for (let i = 0; i < LOAD_CLIENTS; i++) this.loadClients.push(new TextEncoder().encode(`load-${i}`));
  }

  start(): void {
    if (this.load) {
      this.host.schedule(0, { kind: 'load' });
      return;
    }
    for (let c = 0; c < this.clientCount; c++) {
      this.clients.push(new Client({ clientId: new TextEncoder().encode(`client-${c}`), replicas: this.n }));
      this.host.schedule(this.host.rng.int(50), { kind: 'client', client: c, seq: 0 });
    }
  }

  handle(e: WorkloadEvent): void {
    switch (e.kind) {
      case 'client':
        return this.clientTurn(e.client, e.seq);
      case 'reply': {
        const c = this.clients[e.client];
        const pending = c.pending();
        if (c.onReply(e.reply) !== undefined && pending) {
          this.host.mix(pending.request.seq, e.client);
          this.host.schedule(this.host.now() + 1, { kind: 'client', client: e.client, seq: 0 });
        }
        return;
      }
      case 'load':
        return this.loadTurn();
    }
  }

  /** A replica's reply leaves it: route it to its client over the client link. */
  route(reply: Reply): void {
    if (this.load) return;
    const name = new TextDecoder().decode(reply.clientId);
    const index = Number(name.slice('client-'.length));
    if (!(index >= 0 && index < this.clients.length)) return;
    const latency = this.host.replyLatency(reply);
    if (latency !== null) this.host.schedule(this.host.now() + latency, { kind: 'reply', client: index, reply });
  }

  /** The first commit of a height anywhere: records the latency of the load's requests in it. */
  committed(c: CommittedBlock): void {
    if (!this.load) return;
    for (const tx of c.block.txs) {
      const r = decodeRequest(tx);
      const key = `${clientKey(r.clientId)}:${r.seq}`;
      const at = this.submittedAt.get(key);
      if (at !== undefined) {
        this.latencies.push(this.host.now() - at);
        this.submittedAt.delete(key);
      }
    }
  }

  private clientTurn(index: number, retrySeq: number): void {
    const c = this.clients[index];
    let p = c.pending();
    if (retrySeq !== 0 && p?.request.seq !== retrySeq) return; // answered meanwhile
    if (!p) {
      const value = this.host.rng.int(1000);
      p = c.request(kvSet(`c${index}-k${value % 4}`, `v${value}`));
      this.host.checker.submit(p.request.clientId, p.request.seq, p.request.payload);
    }
    // Requests share the links' loss; modelled as arriving now for simplicity of the client loop.
    for (let i = 0; i < this.n; i++) this.host.submit(i, { type: 'request', request: p.bytes });
    this.host.schedule(this.host.now() + CLIENT_RETRY_MS, { kind: 'client', client: index, seq: p.request.seq });
  }

  private loadTurn(): void {
    const load = this.load as LoadModel;
    const now = this.host.now();
    const perTick = Math.max(1, Math.round((load.rate * TICK_MS) / 1000));
    const batch: Uint8Array[] = [];
    for (let k = 0; k < perTick; k++) {
      // A fixed set of clients with rising sequence numbers keeps the client table small.
      const id = this.loadCounter++;
      const clientId = this.loadClients[id % LOAD_CLIENTS];
      const seq = Math.floor(id / LOAD_CLIENTS) + 1;
      const payload = this.host.rng.bytes(load.payloadBytes);
      batch.push(encodeRequest({ clientId, seq, payload }));
      this.host.checker.submit(clientId, seq, payload);
      this.submittedAt.set(`${clientKey(clientId)}:${seq}`, now);
    }
    for (let i = 0; i < this.n; i++) this.host.submit(i, { type: 'requests', requests: batch });
    this.host.schedule(now + TICK_MS, { kind: 'load' });
  }
}

import { bytesToHex, hexToBytes } from '../../src/bytes/index.js';
import { decodeCommitProof, type ValidatorSet, verifyCommitProof } from '../../src/consensus/index.js';
import { kvSet } from '../../src/kv/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { signTransaction, transactionId } from '../../src/tx/index.js';
import { expect } from 'vitest';
import { getJson, type ProcessCluster } from './processCluster.js';
import { Rng } from './seed.js';

// A client of a process cluster over its RPC, as a user's would be: it signs transactions,
// submits them, and believes a commit only once it has checked the proof itself against the
// validator set of genesis (never a node's word).

const REQUEST_TIMEOUT_MS = 10_000;

/** A signed transaction and its id (hex). */
export interface SignedTx {
  id: string;
  bytes: Uint8Array;
}

/** Fresh transactions, each from its own seeded sender at nonce 1 (no ordering between them to keep). */
export class TxFactory {
  private readonly rng: Rng;
  private count = 0;

  constructor(
    private readonly chainId: string,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  next(): SignedTx {
    const k = this.count++;
    const tx = signTransaction({ chainId: this.chainId, nonce: 1, payload: kvSet(`key${k}`, `value${k}`) }, this.rng.bytes(32));
    return { id: bytesToHex(transactionId(tx.bytes)), bytes: tx.bytes };
  }

  batch(size: number): SignedTx[] {
    return Array.from({ length: size }, () => this.next());
  }
}

type SubmitResult = { id: string | null; accepted: boolean; reason?: string };

/** POST /v1/txs; the per-transaction answers. */
export async function submit(url: string, txs: SignedTx[]): Promise<SubmitResult[]> {
  const res = await fetch(`${url}/v1/txs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ txs: txs.map((t) => bytesToHex(t.bytes)) }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = (await res.json()) as { results?: SubmitResult[] };
  if (!res.ok || !body.results) throw new Error(`POST ${url}/v1/txs: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body.results;
}

/** Where a transaction was committed, as its checked proof says. */
export interface Committed {
  height: number;
  index: number;
}

/** A node's answer on one transaction: not (yet) committed there, committed with a proof that checks, or a proof that does not. */
type ProofCheck = { state: 'absent' } | ({ state: 'proven' } & Committed) | ({ state: 'badProof'; why: string } & Committed);

/**
 * Asks node `url` for transaction `id` (long-polling `waitMs`), and when committed checks the
 * proof: the transaction's bytes are taken from the block the node serves and must hash to `id`,
 * and `verifyCommitProof` must accept them under `set`.
 */
export async function checkProof(url: string, id: string, set: ValidatorSet, waitMs = 0, blocks?: Map<string, string[]>): Promise<ProofCheck> {
  const res = await fetch(`${url}/v1/txs/${id}${waitMs > 0 ? `?wait=${waitMs}` : ''}`, { signal: AbortSignal.timeout(waitMs + REQUEST_TIMEOUT_MS) });
  if (res.status === 404) return { state: 'absent' };
  const body = (await res.json()) as { status: string; height: number; index: number; proof: string };
  if (!res.ok) throw new Error(`GET ${url}/v1/txs/${id}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  if (body.status !== 'committed') return { state: 'absent' };
  const at = { height: body.height, index: body.index };
  const key = `${url} ${body.height}`;
  let txs = blocks?.get(key);
  if (!txs) {
    txs = (await getJson<{ txs: string[] }>(`${url}/v1/blocks/${body.height}`)).txs;
    blocks?.set(key, txs);
  }
  const hex = txs[body.index];
  if (hex === undefined) return { state: 'badProof', why: `block ${body.height} has no transaction ${body.index}`, ...at };
  const bytes = hexToBytes(hex);
  if (bytesToHex(transactionId(bytes)) !== id) return { state: 'badProof', why: `transaction ${body.index} of block ${body.height} is not ${id}`, ...at };
  const verdict = verifyCommitProof(decodeCommitProof(hexToBytes(body.proof)), bytes, set, { hash: nodeSha256 });
  return verdict.ok ? { state: 'proven', ...at } : { state: 'badProof', why: String(verdict.reason), ...at };
}

export interface TxLoadOptions {
  /** RPC URLs to submit to now (asked before each batch: nodes come and go). */
  targets: () => string[];
  set: ValidatorSet;
  seed: number;
  /** Transactions per request (default 4). */
  batch?: number;
  /** Pause between requests in ms (default 40). */
  pauseMs?: number;
  /** Most transactions submitted (default 20,000): the load is bounded even if never stopped. */
  maxTxs?: number;
  /** How long each transaction's proof is waited for at the node it was sent to (default 15 s). */
  proofWaitMs?: number;
}

/**
 * A client submitting while faults happen: batches round-robin over the nodes up, each accepted
 * transaction's proof awaited at the node that took it. `proven` holds every transaction whose
 * proof this client received and checked: what must survive any crash.
 */
export class TxLoad {
  readonly proven = new Map<string, Committed>();
  readonly badProofs: string[] = [];
  submitted = 0;
  accepted = 0;
  /** Requests that failed (a node down or cut off): the client moves on to the next node. */
  failedRequests = 0;
  private readonly factory: TxFactory;
  private readonly waiters = new Set<Promise<void>>();
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly options: TxLoadOptions) {
    this.factory = new TxFactory(options.set.chainId, options.seed);
    this.loop = this.run();
  }

  /** Stops submitting and waits for the proofs still awaited (each bounded by `proofWaitMs`). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await Promise.allSettled([...this.waiters]);
  }

  private async run(): Promise<void> {
    const { batch = 4, pauseMs = 40, maxTxs = 20_000 } = this.options;
    let turn = 0;
    while (!this.stopped && this.submitted < maxTxs) {
      const targets = this.options.targets();
      if (targets.length > 0) {
        const url = targets[turn++ % targets.length];
        const txs = this.factory.batch(batch);
        this.submitted += txs.length;
        try {
          const results = await submit(url, txs);
          results.forEach((r, k) => {
            if (!r.accepted) return;
            this.accepted++;
            this.await(url, txs[k].id);
          });
        } catch {
          this.failedRequests++;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  private await(url: string, id: string): void {
    const waiter = checkProof(url, id, this.options.set, this.options.proofWaitMs ?? 15_000)
      .then((check) => {
        if (check.state === 'proven') this.proven.set(id, { height: check.height, index: check.index });
        else if (check.state === 'badProof') this.badProofs.push(`${url} ${id}: ${check.why}`);
      })
      .catch(() => undefined)
      .finally(() => this.waiters.delete(waiter));
    this.waiters.add(waiter);
  }
}

/** What `provenEverywhere` found. */
export interface ProvenCheck {
  /** Transactions a node lost or misplaces, or whose proof from it does not check: must be empty. */
  failures: string[];
  /**
   * Per node, proven transactions in blocks its archive does not hold because it adopted a
   * certified checkpoint above them (state sync's jump): committed in its chain (the block hashes
   * agree above), but it cannot serve them.
   */
  unarchived: number[];
}

/**
 * Checks that every transaction of `proven` is committed on every node of `urls` at the place its
 * proof named, with a proof from that node that checks. A node whose archive lacks that block
 * altogether (it jumped past it by state sync) is counted apart, in `unarchived`.
 */
async function provenEverywhere(urls: string[], proven: Map<string, Committed>, set: ValidatorSet): Promise<ProvenCheck> {
  const perNode = await Promise.all(
    urls.map(async (url) => {
      const failures: string[] = [];
      let unarchived = 0;
      const blocks = new Map<string, string[]>();
      for (const [id, at] of proven) {
        const check = await checkProof(url, id, set, 0, blocks);
        if (check.state === 'absent') {
          const block = await fetch(`${url}/v1/blocks/${at.height}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
          if (block.status === 404) unarchived++;
          else failures.push(`${url}: ${id} (committed at ${at.height}) is not committed there, though it holds block ${at.height}`);
        } else if (check.state === 'badProof') failures.push(`${url}: ${id}: ${check.why}`);
        else if (check.height !== at.height || check.index !== at.index) failures.push(`${url}: ${id} at ${check.height}/${check.index}, the client's proof said ${at.height}/${at.index}`);
      }
      return { failures, unarchived };
    }),
  );
  return { failures: perNode.flatMap((p) => p.failures), unarchived: perNode.map((p) => p.unarchived) };
}

/** The highest height any proof of `proven` named (0 when none). */
export function provenHeight(proven: Map<string, Committed>): number {
  let top = 0;
  for (const c of proven.values()) top = Math.max(top, c.height);
  return top;
}

/**
 * The promise a client relies on, checked once the faults are over: no proof failed to check,
 * every node holds one chain up to the highest proven height, and every proven transaction is
 * committed on every node where its proof said (see `provenEverywhere`). Returns the check.
 */
export async function expectProvenEverywhere(cluster: ProcessCluster, load: TxLoad): Promise<ProvenCheck> {
  expect(load.badProofs).toEqual([]);
  const nodes = Array.from({ length: cluster.n }, (_, i) => i);
  await cluster.sameChain(nodes, provenHeight(load.proven));
  const check = await provenEverywhere(
    nodes.map((i) => cluster.url(i)),
    load.proven,
    cluster.validatorSet,
  );
  expect(check.failures).toEqual([]);
  return check;
}

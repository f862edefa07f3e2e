import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import {
  blockHash,
  defaultTxRoot,
  type DropReason,
  encodeBlock,
  encodePrePrepare,
  MessageType,
  type Ready,
  Replica,
  senderKey,
  signVote,
  type StepStats,
} from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { KeyValueStore } from '../../src/sim/index.js';
import { decodeTransaction, signTransaction, TransactionError, verifyTransactions } from '../../src/tx/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { account, request, TEST_CHAIN } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

// Seeded fuzzing of what enters a replica from outside: client transactions (`requests`) and the
// transactions inside a primary's PRE-PREPARE, as random bytes and as mutations of valid signed
// transactions. `step` must never throw, every refusal must be counted under the reason the
// admission rules give, and rejected input must leave the replica's state as it was.

const MAX_PAYLOAD = 512;
const WINDOW = 16;
/** Executed before fuzzing: alice 1–3, bob 1–2. Pending at the target: erin 1. */
const EXECUTED: [string, number][] = [
  ['alice', 3],
  ['bob', 2],
];
const DROP_BY_CODE: Record<string, DropReason> = { ERR_TX_MALFORMED: 'malformed', ERR_TX_TOO_LARGE: 'txTooLarge', ERR_TX_WRONG_CHAIN: 'wrongChain', ERR_TX_BAD_SIGNATURE: 'badTxSignature' };
const txRoot = defaultTxRoot();

/** A network that committed alice 1–3 and bob 1–2; replica 1 (a backup) also holds erin 1 in its pool. */
function committedNetwork(): TestNetwork {
  // Blocks of up to 6 transactions: a block above the batch size is refused before its transactions are read.
  const net = new TestNetwork(4, { maxPayload: MAX_PAYLOAD, nonceWindow: WINDOW, batchSize: 8 });
  for (const [client, last] of EXECUTED) for (let nonce = 1; nonce <= last; nonce++) net.submit(request(client, nonce));
  net.deliver();
  net.run(100);
  expect(net.replicas.map((r) => r?.status().pending)).toEqual([0, 0, 0, 0]);
  expect(net.apps[1].get('k3')).toBe('v3');
  net.step(1, { type: 'request', request: request('erin', 1) });
  return net;
}

/** What must not change when input is refused: the replica's public state and its application's snapshot. */
function state(r: Replica, app: KeyValueStore): Record<string, unknown> {
  const { view, inViewChange, height, lastHash, stableCheckpoint, pending, primary } = r.status();
  return { view, inViewChange, height, lastHash: bytesToHex(lastHash), stableCheckpoint, pending, primary, app: bytesToHex(app.snapshot()) };
}

function drops(stats: StepStats): Partial<Record<DropReason, number>> {
  return Object.fromEntries(Object.entries(stats.dropped).filter(([, count]) => count > 0));
}

/** The admission rules as a model: the reason a client transaction is refused (the fuzz only makes refusable ones). */
function expectedDrop(bytes: Uint8Array): DropReason {
  let tx;
  try {
    tx = decodeTransaction(bytes, { chainId: TEST_CHAIN, maxPayload: MAX_PAYLOAD, verify: false });
  } catch (err) {
    if (err instanceof TransactionError) return DROP_BY_CODE[err.code];
    throw err;
  }
  const last = EXECUTED.find(([client]) => senderKey(account(client).publicKey) === senderKey(tx.sender))?.[1] ?? 0;
  if (tx.nonce <= last) return 'replay';
  if (tx.nonce > last + WINDOW) return 'nonceGap';
  if (!verifyTransactions([tx])[0]) return 'badTxSignature';
  if (senderKey(tx.sender) === senderKey(account('erin').publicKey) && tx.nonce === 1) return 'duplicate';
  throw new Error(`the fuzz made an admissible transaction: ${bytesToHex(bytes)}`);
}

function flipBit(rng: Rng, bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const bit = rng.int(out.length * 8);
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A transaction of carol's (admissible as it stands) with its signature bytes replaced or made with mallory's key. */
function forged(rng: Rng, nonce: number): Uint8Array {
  const fields = { chainId: TEST_CHAIN, nonce, payload: rng.bytes(rng.int(40)) };
  if (rng.int(2)) return signTransaction(fields, { secretKey: account('mallory').secretKey, publicKey: account('carol').publicKey }).bytes;
  const tx = signTransaction(fields, account('carol')).bytes;
  tx.set(rng.bytes(64), tx.length - 64);
  return tx;
}

/** One refusable client transaction, of a kind drawn from `rng`. */
function badTransaction(rng: Rng): Uint8Array {
  const fresh = request('carol', 1 + rng.int(WINDOW), `k${rng.int(9)}`);
  switch (rng.int(11)) {
    case 0:
      return rng.bytes(rng.int(160));
    case 1: {
      // A valid header and random rest, so the length and UTF-8 checks are reached.
      const junk = rng.bytes(fresh.length + rng.int(3) - 1);
      junk.set(fresh.subarray(0, 2 + rng.int(fresh.length - 2)));
      return junk;
    }
    case 2:
    case 3:
      return flipBit(rng, fresh);
    case 4:
      return fresh.subarray(0, rng.int(fresh.length));
    case 5:
      return concat(fresh, rng.bytes(1 + rng.int(8)));
    case 6:
      return request('carol', 1 + rng.int(WINDOW), 'k', 'v', `chain-${rng.int(9)}`);
    case 7: {
      const nonce = 1 + rng.int(3);
      return rng.int(2) ? request('alice', nonce) : request('alice', nonce, 'k', `again-${rng.int(9)}`);
    }
    case 8:
      return rng.int(2) ? request('erin', 1) : request('erin', 1, 'x', `twin-${rng.int(9)}`);
    case 9:
      return rng.int(2)
        ? request('carol', WINDOW + 1 + rng.int(1000))
        : signTransaction({ chainId: TEST_CHAIN, nonce: 1, payload: rng.bytes(MAX_PAYLOAD + 1 + rng.int(64)) }, account('carol'), { maxPayload: 4096 }).bytes;
    default:
      return forged(rng, 1 + rng.int(WINDOW));
  }
}

/** The primary's (replica 0's) PRE-PREPARE in view 0 for a block of `txs` on top of `r`'s chain, properly signed. */
function proposal(net: TestNetwork, r: Replica, txs: Uint8Array[]): Uint8Array {
  const { height, lastHash } = r.status();
  const block = { height: height + 1, parent: lastHash, txRoot: txRoot(txs), txs };
  const vote = signVote(net.signers[0], MessageType.Prepare, 0, 0, height + 1, blockHash(block, nodeSha256));
  return encodePrePrepare(0, vote, encodeBlock(block));
}

/** Transactions a valid next block may hold: carol 1 and 2, dave 1, alice 4, each sender's from its next nonce on. */
function validTxs(rng: Rng): Uint8Array[] {
  const carol = [request('carol', 1), request('carol', 2)].slice(0, rng.int(3));
  return [...carol, ...(rng.int(2) ? [request('dave', 1)] : []), ...(rng.int(2) ? [request('alice', 4)] : [])];
}

/** A block's transactions that must not execute, of a kind drawn from `rng` (the label says which). */
function badBlock(rng: Rng): { kind: string; txs: Uint8Array[] } {
  const txs = validTxs(rng);
  const at = rng.int(txs.length + 1);
  const insert = (tx: Uint8Array) => [...txs.slice(0, at), tx, ...txs.slice(at)];
  switch (rng.int(10)) {
    case 0:
      return { kind: 'random bytes', txs: insert(rng.bytes(rng.int(200))) };
    case 1:
      return { kind: 'bit flip', txs: insert(flipBit(rng, request('erin', 1))) };
    case 2:
      return { kind: 'truncated', txs: insert(request('erin', 1).subarray(0, rng.int(100))) };
    case 3:
      return { kind: 'wrong chain', txs: insert(request('erin', 1, 'k', 'v', 'another-chain')) };
    case 4:
      return { kind: 'replayed nonce', txs: [request('alice', 1 + rng.int(3)), ...txs] };
    case 5: {
      const all = [request('erin', 1), ...txs];
      const k = rng.int(all.length);
      return { kind: 'duplicate', txs: [...all.slice(0, k + 1), all[k], ...all.slice(k + 1)] };
    }
    case 6:
      return { kind: 'reordered nonces', txs: [request('carol', 2), request('carol', 1)] };
    case 7:
      return { kind: 'nonce gap', txs: [request('carol', 1), request('carol', 3)] };
    case 8:
      return { kind: 'oversize payload', txs: insert(signTransaction({ chainId: TEST_CHAIN, nonce: 1, payload: rng.bytes(MAX_PAYLOAD + 1) }, account('erin'), { maxPayload: 4096 }).bytes) };
    default:
      return { kind: 'forged signature', txs: insert(forged(rng, 3)) };
  }
}

/** Replica 1 as it was when the network committed (restored from its disk): a fresh backup for each proposal. */
function freshBackup(net: TestNetwork): { replica: Replica; app: KeyValueStore } {
  const app = new KeyValueStore();
  return { replica: Replica.restore({ ...net.config(1), application: app }, net.durable(1)), app };
}

const types = (ready: Ready) => ready.messages.map((m) => m.bytes[1]);

describe('admission fuzz (seeded)', () => {
  it('client transactions: random and mutated bytes are refused under their reason, never thrown, and change nothing', () => {
    const seed = testSeed('admission fuzz: requests');
    const rng = new Rng(seed);
    const net = committedNetwork();
    const target = net.replica(1);
    const before = state(target, net.apps[1]);
    for (let c = 0; c < 150; c++) {
      const list = Array.from({ length: 1 + rng.int(6) }, () => badTransaction(rng));
      const expected: Partial<Record<DropReason, number>> = {};
      for (const bytes of list) {
        const reason = expectedDrop(bytes);
        expected[reason] = (expected[reason] ?? 0) + 1;
      }
      const ready = list.length === 1 && rng.int(2) ? target.step({ type: 'request', request: list[0] }) : target.step({ type: 'requests', requests: list });
      expect([c, drops(ready.stats)], `seed ${seed}, case ${c}`).toEqual([c, expected]);
      expect(ready.stats.received).toBe(list.length);
      expect([ready.persist, ready.messages, ready.committed]).toEqual([null, [], []]);
      expect(state(target, net.apps[1]), `seed ${seed}, case ${c}`).toEqual(before);
    }
  });

  it('PRE-PREPAREs: a block with any bad transaction is refused as invalid, never executed, and the backup complains about the view', () => {
    const seed = testSeed('admission fuzz: proposals');
    const rng = new Rng(seed);
    const net = committedNetwork();
    // The control: the same forging of a block of valid transactions gets the backup's PREPARE.
    const control = freshBackup(net);
    expect(types(control.replica.step({ type: 'message', bytes: proposal(net, control.replica, validTxs(rng)) }))).toContain(MessageType.Prepare);
    const kinds = new Set<string>();
    for (let c = 0; c < 40; c++) {
      const { replica, app } = freshBackup(net);
      const before = state(replica, app);
      const { kind, txs } = badBlock(rng);
      kinds.add(kind);
      const ready = replica.step({ type: 'message', bytes: proposal(net, replica, txs) });
      const label = `seed ${seed}, case ${c} (${kind})`;
      expect(drops(ready.stats), label).toEqual({ invalid: 1 });
      expect(ready.committed, label).toEqual([]);
      expect(types(ready), label).not.toContain(MessageType.Prepare);
      expect(types(ready), label).toContain(MessageType.Complaint);
      // A complaint about the primary's view is the refusal's one effect (f+1 of them replace it).
      expect(state(replica, app), label).toEqual(before);
    }
    expect(kinds.size).toBeGreaterThanOrEqual(8);
  });

  it('PRE-PREPARE frames: random bytes, bit flips and truncations of a valid one are dropped one each, never thrown, and change nothing', () => {
    const seed = testSeed('admission fuzz: frames');
    const rng = new Rng(seed);
    const net = committedNetwork();
    const target = net.replica(1);
    const before = state(target, net.apps[1]);
    const valid = proposal(net, target, [request('carol', 1), request('dave', 1)]);
    for (let c = 0; c < 100; c++) {
      const frames = Array.from({ length: 1 + rng.int(4) }, () => {
        const kind = rng.int(3);
        if (kind === 0) return rng.bytes(rng.int(300));
        if (kind === 1) return flipBit(rng, valid);
        return valid.subarray(0, rng.int(valid.length));
      });
      const ready = frames.length === 1 ? target.step({ type: 'message', bytes: frames[0] }) : target.step({ type: 'messages', messages: frames });
      const label = `seed ${seed}, case ${c}`;
      expect(Object.values(ready.stats.dropped).reduce((a, b) => a + b, 0), label).toBe(frames.length);
      expect(types(ready), label).toEqual([]);
      expect(state(target, net.apps[1]), label).toEqual(before);
    }
  });
});

describe('PRE-PREPARE refusals are counted once', () => {
  // Regression (found by the frame fuzz): the vote inside a PRE-PREPARE already held was counted
  // as a dropped duplicate and the frame then counted again by what refused it.
  it('a retransmitted PRE-PREPARE, a bad body under a vote already held, and a second block for the slot: one drop each', () => {
    const net = committedNetwork();
    const target = net.replica(1);
    const valid = proposal(net, target, [request('carol', 1)]);
    expect(types(target.step({ type: 'message', bytes: valid }))).toContain(MessageType.Prepare);
    expect(drops(target.step({ type: 'message', bytes: valid }).stats)).toEqual({ duplicate: 1 });
    const badBody = valid.slice();
    badBody[badBody.length - 1] ^= 1; // inside the transaction: the body no longer matches txRoot
    expect(drops(target.step({ type: 'message', bytes: badBody }).stats)).toEqual({ invalid: 1 });
    const second = target.step({ type: 'message', bytes: proposal(net, target, [request('dave', 1)]) });
    expect(drops(second.stats)).toEqual({ duplicate: 1 });
    expect(second.evidence.map((e) => e.validator)).toEqual([0]);
  });
});

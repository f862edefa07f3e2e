import { equalBytes } from '../bytes/index.js';
import { parseTransaction, signatureItem, type Transaction, TransactionError, transactionIds } from '../tx/index.js';
import { type Block, senderKey } from './block.js';
import type { SignatureCheck } from './crypto.js';
import { reply } from './execute.js';
import type { DecodedTx } from './requestPool.js';
import { finished, type ReplicaState } from './state.js';
import type { DropReason, StepOutput } from './step.js';
import { idKey } from './verifiedIds.js';

// Transactions enter a replica two ways: from clients (admission into the pool) and inside a
// primary's proposal. Both decode them for this chain, check nonces against the executed state
// and verify the signatures not verified here before in one `verifyBatch`.

const DROP_BY_CODE: Record<string, DropReason> = { ERR_TX_MALFORMED: 'malformed', ERR_TX_TOO_LARGE: 'txTooLarge', ERR_TX_WRONG_CHAIN: 'wrongChain' };

function parse(r: ReplicaState, bytes: Uint8Array): Transaction | DropReason {
  try {
    return parseTransaction(bytes, r.cfg.maxPayload, r.cfg.chainId);
  } catch (err) {
    if (err instanceof TransactionError) return DROP_BY_CODE[err.code] ?? 'malformed';
    throw err;
  }
}

/**
 * Verifies the signatures of `txs` whose ids (`keys`, their `idKey`s) were not verified here
 * before; true for each valid one.
 */
function verifySignatures(r: ReplicaState, out: StepOutput, txs: DecodedTx[], keys: string[]): boolean[] {
  const ok = new Array<boolean>(txs.length).fill(true);
  const checks: SignatureCheck[] = [];
  const at: number[] = [];
  for (let i = 0; i < txs.length; i++) {
    if (r.verified.has(keys[i])) continue;
    // Parsed already, so the bytes are laid out as a transaction and the item exists.
    checks.push(signatureItem(txs[i].tx.bytes) as SignatureCheck);
    at.push(i);
  }
  if (checks.length === 0) return ok;
  const results = r.cfg.txVerifier.verifyBatch(checks);
  out.stats.verified += checks.length;
  for (let j = 0; j < at.length; j++) ok[at[j]] = results[j] === true;
  return ok;
}

function withIds(txs: { tx: Transaction; key: string }[]): DecodedTx[] {
  const ids = transactionIds(txs.map((t) => t.tx.bytes));
  return txs.map((t, i) => ({ tx: t.tx, key: t.key, id: ids[i] }));
}

/**
 * Client transactions into the pool. Refused and counted: undecodable, too large, another chain,
 * a nonce already executed (the stored result is sent again when it is the same transaction),
 * a nonce more than `nonceWindow` ahead or not next after the sender's pending ones (`nonceGap`:
 * the client resends it in order), a bad signature, a second transaction for a (sender, nonce)
 * already pending, a full pool. `verified`: the host checked the signatures already.
 */
export function admit(r: ReplicaState, out: StepOutput, list: Uint8Array[], verified: boolean): void {
  const candidates: { tx: Transaction; key: string; last: number; index: number }[] = [];
  for (let index = 0; index < list.length; index++) {
    out.stats.received++;
    const tx = parse(r, list[index]);
    if (typeof tx === 'string') {
      out.refuse(index, tx);
      continue;
    }
    const key = senderKey(tx.sender);
    const done = r.accounts.get(key);
    const last = done?.nonce ?? 0;
    if (tx.nonce <= last) {
      if (done && tx.nonce === last && equalBytes(transactionIds([tx.bytes])[0], done.txId)) reply(r, out, tx, done.txId, r.height, done.result);
      out.refuse(index, 'replay');
      continue;
    }
    // The set committed its last height: the next set orders what comes (a replay above is still answered).
    if (finished(r)) {
      out.refuse(index, 'stale');
      continue;
    }
    if (tx.nonce > last + r.cfg.nonceWindow) {
      out.refuse(index, 'nonceGap');
      continue;
    }
    candidates.push({ tx, key, last, index });
  }
  if (candidates.length === 0) return;
  const decoded = withIds(candidates);
  const keys = decoded.map((d) => idKey(d.id));
  const ok = verified ? null : verifySignatures(r, out, decoded, keys);
  for (let i = 0; i < decoded.length; i++) {
    const index = candidates[i].index;
    if (ok && !ok[i]) {
      out.refuse(index, 'badTxSignature');
      continue;
    }
    r.verified.add(keys[i]);
    const added = r.pool.add(decoded[i], r.now, candidates[i].last);
    if (added !== 'added') out.refuse(index, added === 'full' ? 'poolFull' : added === 'gap' ? 'nonceGap' : 'duplicate');
  }
}

/**
 * The transactions of a proposed block, decoded and checked against the executed state: each
 * for this chain and within the size limit, each sender's nonces consecutive from its last
 * executed one (or its last in `ahead`, the blocks in flight below this one), every signature
 * valid. Null if any is not: the block must not execute.
 */
export function checkBlockTxs(r: ReplicaState, out: StepOutput, block: Block, ahead?: Map<string, number>): DecodedTx[] | null {
  const txs: { tx: Transaction; key: string }[] = [];
  const next = new Map<string, number>();
  for (const bytes of block.txs) {
    const tx = parse(r, bytes);
    if (typeof tx === 'string') return null;
    const key = senderKey(tx.sender);
    const expected = next.get(key) ?? (ahead?.get(key) ?? r.accounts.lastNonceOf(key)) + 1;
    if (tx.nonce !== expected) return null;
    next.set(key, expected + 1);
    txs.push({ tx, key });
  }
  const decoded = withIds(txs);
  const keys = decoded.map((d) => idKey(d.id));
  const ok = verifySignatures(r, out, decoded, keys);
  if (!ok.every(Boolean)) return null;
  for (const key of keys) r.verified.add(key);
  return decoded;
}

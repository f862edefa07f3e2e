import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { bytesToHex, hexToBytes } from '../bytes/index.js';
import { decodeCommitProof, verifyCommitProof } from '../consensus/index.js';
import { kvSet } from '../kv/index.js';
import { type Genesis, genesisValidatorSet, nodeSha256 } from '../node/index.js';
import { ed25519 } from '../sig/index.js';
import { signTransaction, transactionId } from '../tx/index.js';
import { decodeStakingResult } from '../validators/index.js';
import { genesisOption } from './genesisFile.js';
import { STAKING_OPTIONS, stakingPayloadFrom } from './stakingTx.js';
import { integerOption, parseStrict, TX_USAGE, UsageError } from './usage.js';

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

async function seedFrom(file: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const seed = new Uint8Array(randomBytes(32));
    await writeFile(file, bytesToHex(seed) + '\n', { mode: 0o600, flag: 'wx' });
    process.stderr.write(`swarmguard: wrote a new key to ${file}\n`);
    return seed;
  }
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new UsageError(`--key: ${file} must hold 64 hex digits (a 32-byte seed)`, TX_USAGE);
  return hexToBytes(text.toLowerCase());
}

async function call(url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    throw new Error(`cannot reach ${url}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * Fetches a transaction's status and, when committed, checks its commit proof against the
 * validators of the caller's own genesis (never the node's word): the transaction bytes come
 * from the block, and must hash to the id asked for.
 */
async function verifiedStatus(rpc: string, genesis: Genesis, id: string, waitMs: number): Promise<Record<string, unknown>> {
  const { status, body } = await call(`${rpc}/v1/txs/${id}${waitMs > 0 ? `?wait=${waitMs}` : ''}`);
  if (status === 404) return { id, status: 'unknown' };
  if (status !== 200) throw new Error(`${rpc} answered ${status}: ${JSON.stringify(body.error ?? body)}`);
  if (body.status !== 'committed') return body;
  const block = await call(`${rpc}/v1/blocks/${body.height}`);
  const tx = hexToBytes(((block.body.txs as string[]) ?? [])[body.index as number] ?? '');
  const verdict = verifyCommitProof(decodeCommitProof(hexToBytes(body.proof as string)), tx, genesisValidatorSet(genesis), { hash: nodeSha256 });
  const ok = verdict.ok && bytesToHex(transactionId(tx)) === id;
  return { id, status: 'committed', height: body.height, index: body.index, result: body.result, proofVerified: ok, ...(verdict.ok ? {} : { proofFailure: verdict.reason }) };
}

/** The sender's next nonce as the node has executed it (its transactions still pending there are not counted). */
async function nextNonce(rpc: string, sender: Uint8Array): Promise<number> {
  const { status, body } = await call(`${rpc}/v1/accounts/${bytesToHex(sender)}`);
  if (status !== 200 || typeof body.nonce !== 'number') throw new Error(`${rpc} did not tell the sender's nonce (${status}): ${JSON.stringify(body.error ?? body)}`);
  return body.nonce + 1;
}

/** `swarmguard tx send|status`. */
export async function txCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === '-h' || action === '--help') {
    process.stdout.write(`${TX_USAGE}\n`);
    return 0;
  }
  if (action !== 'send' && action !== 'status') throw new UsageError(action === undefined ? 'which action? (send or status)' : `unknown action '${action}'`, TX_USAGE);
  const { values } = parseStrict(
    rest,
    {
      rpc: { type: 'string' },
      genesis: { type: 'string' },
      key: { type: 'string' },
      nonce: { type: 'string' },
      set: { type: 'string' },
      payload: { type: 'string' },
      wait: { type: 'string', default: '30' },
      id: { type: 'string' },
      ...STAKING_OPTIONS,
    },
    TX_USAGE,
  );
  if (values.help) {
    process.stdout.write(`${TX_USAGE}\n`);
    return 0;
  }
  for (const option of ['rpc', 'genesis']) if (typeof values[option] !== 'string') throw new UsageError(`--${option} is required`, TX_USAGE);
  const rpc = (values.rpc as string).replace(/\/+$/, '');
  if (action === 'status') {
    if (typeof values.id !== 'string' || !/^[0-9a-fA-F]{64}$/.test(values.id)) throw new UsageError('--id must be 64 hex digits', TX_USAGE);
    const genesis = await genesisOption(values.genesis as string, TX_USAGE);
    const s = await verifiedStatus(rpc, genesis, values.id.toLowerCase(), 0);
    process.stdout.write(`${JSON.stringify(s)}\n`);
    return s.status === 'committed' && !s.proofVerified ? 1 : 0;
  }
  if (typeof values.key !== 'string') throw new UsageError('--key is required', TX_USAGE);
  const given = values.nonce === undefined ? null : integerOption(values.nonce as string, '--nonce', 1, Number.MAX_SAFE_INTEGER, TX_USAGE);
  const wait = integerOption(values.wait as string, '--wait', 0, 3600, TX_USAGE);
  let payload: Uint8Array;
  const staking = stakingPayloadFrom(values);
  if (staking) payload = staking;
  else if (typeof values.set === 'string' && values.set.includes('=')) payload = kvSet(values.set.slice(0, values.set.indexOf('=')), values.set.slice(values.set.indexOf('=') + 1));
  else if (typeof values.payload === 'string' && HEX.test(values.payload)) payload = hexToBytes(values.payload.toLowerCase());
  else throw new UsageError('one of --set KEY=VALUE, --payload HEX or a staking action is required', TX_USAGE);
  const genesis = await genesisOption(values.genesis as string, TX_USAGE);
  const seed = await seedFrom(values.key);
  const nonce = given ?? (await nextNonce(rpc, ed25519.getPublicKey(seed)));
  const tx = signTransaction({ chainId: genesis.chainId, nonce, payload }, seed);
  const sent = await call(`${rpc}/v1/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tx: bytesToHex(tx.bytes) }) });
  const result = (sent.body.results as Record<string, unknown>[] | undefined)?.[0];
  if (sent.status !== 200 || !result) throw new Error(`${rpc} refused the request (${sent.status}): ${JSON.stringify(sent.body.error ?? sent.body)}`);
  const id = bytesToHex(transactionId(tx.bytes));
  if (!result.accepted) {
    process.stdout.write(`${JSON.stringify({ id, accepted: false, reason: result.reason })}\n`);
    return 1;
  }
  if (wait === 0) {
    process.stdout.write(`${JSON.stringify({ id, accepted: true })}\n`);
    return 0;
  }
  const s = await verifiedStatus(rpc, genesis, id, Math.min(wait * 1000, 30_000));
  // A staking transaction's result says whether it applied, or why not (the state is unchanged then).
  const outcome = staking && s.status === 'committed' ? decodeStakingResult(hexToBytes(s.result as string)) : null;
  process.stdout.write(`${JSON.stringify(outcome ? { ...s, staking: outcome } : s)}\n`);
  return s.status === 'committed' && s.proofVerified && (outcome === null || outcome.ok) ? 0 : 1;
}

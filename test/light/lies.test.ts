import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { bytesToHex } from '../../src/bytes/index.js';
import { buildCommitProof, type CommittedBlock, consensusDomain, decodeVote, domainSigner, encodeBlockHeader, encodeCommitProof, signVote } from '../../src/consensus/index.js';
import { HeaderUnavailableError, type Lie, LightClient, TransactionUnverifiedError } from '../../src/light/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { transactionId } from '../../src/tx/index.js';
import { certifiedChain } from '../_support/certifiedChain.js';
import { Gateway, headerJson } from '../_support/gateway.js';
import { testSigners } from '../_support/testNetwork.js';

// Every way a source can lie to a light client, each against real certified blocks of four
// replicas: the lie is detected with its stable reason, counted against that source only, and
// nothing it said reaches the store — which then holds exactly the honest headers it verified.

const chain = certifiedChain(4);
const other = {
  chain: certifiedChain(4, { chainId: 'other-chain' }), // the same validators' keys on another chain
  keys: certifiedChain(4, { tag: 'outsiders' }), // the same chain signed by keys outside the set
  branch: certifiedChain(4, { client: 'branch' }), // the same set and chain, other blocks: equivocation
};

const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of closing.splice(0).reverse()) await c.close();
});

async function gateway(blocks: CommittedBlock[] = chain.blocks): Promise<Gateway> {
  const g = await Gateway.start(blocks);
  closing.push(g);
  return g;
}

async function client(sources: Gateway[], extra: Partial<Parameters<typeof LightClient.open>[0]> = {}) {
  const storage = new MemoryStorage();
  const lies: Lie[] = [];
  const c = await LightClient.open({ validatorSet: chain.set, sources: sources.map((g) => g.url), storage, WebSocket, ...extra });
  closing.push(c);
  c.onLie((l) => lies.push(l));
  return { c, storage, lies };
}

/** The headers in the store: only honest ones, at their heights. */
function storedHeights(storage: MemoryStorage): number[] {
  return storage.records({ gte: 'light/header/', lt: 'light/header/~' }).map(([key, value]) => {
    const height = Number(key.slice('light/header/'.length));
    expect(bytesToHex(value.subarray(9, 86)), `stored header ${height}`).toBe(bytesToHex(encodeBlockHeader(chain.blocks[height - 1].block)));
    return height;
  });
}

const flip = (bytes: Uint8Array, at: number) => {
  const copy = bytes.slice();
  copy[at] ^= 1;
  return copy;
};
const lieOf = (lies: Lie[]) => lies.map((l) => ({ reason: l.reason, detail: l.detail, height: l.height }));

describe('light client: a source that lies about headers', () => {
  const cases: [string, (g: Gateway) => void, Pick<Lie, 'reason' | 'detail'>][] = [
    [
      'a forged certificate (a signature changed)',
      (g) => (g.header = (h) => (h === 3 ? { ...headerJson(chain.blocks[2]), certificate: chain.blocks[2].cert.map((f, i) => bytesToHex(i === 0 ? flip(f, f.length - 1) : f)) } : headerJson(chain.blocks[h - 1]))),
      { reason: 'bad-certificate', detail: 'bad-signature' },
    ],
    [
      'a certificate short of a quorum',
      (g) => (g.header = (h) => (h === 3 ? { ...headerJson(chain.blocks[2]), certificate: chain.blocks[2].cert.slice(0, 2).map(bytesToHex) } : headerJson(chain.blocks[h - 1]))),
      { reason: 'bad-certificate', detail: 'too-few-signatures' },
    ],
    [
      'a header from another chain, signed by the same keys (another consensus domain)',
      (g) => (g.header = (h) => (h === 3 ? headerJson(other.chain.blocks[2]) : headerJson(chain.blocks[h - 1]))),
      { reason: 'bad-certificate', detail: 'bad-signature' },
    ],
    [
      'a header certified by keys outside the trusted set',
      (g) => (g.header = (h) => (h === 3 ? headerJson(other.keys.blocks[2]) : headerJson(chain.blocks[h - 1]))),
      { reason: 'bad-certificate', detail: 'bad-signature' },
    ],
    [
      'a replayed old header at a new height',
      (g) => (g.header = (h) => (h === 3 ? { ...headerJson(chain.blocks[0]), height: 3 } : headerJson(chain.blocks[h - 1]))),
      { reason: 'wrong-height', detail: null },
    ],
    [
      'a hash that is not its header\'s',
      (g) => (g.header = (h) => (h === 3 ? { ...headerJson(chain.blocks[2]), hash: bytesToHex(chain.blocks[1].hash) } : headerJson(chain.blocks[h - 1]))),
      { reason: 'wrong-hash', detail: null },
    ],
    [
      'a certified header that does not link to the trusted one below (its own parent not given)',
      (g) => (g.header = (h) => (h === 3 ? headerJson(other.branch.blocks[2]) : headerJson(chain.blocks[h - 1]))),
      { reason: 'broken-link', detail: null },
    ],
    [
      'an answer not of the RPC\'s shape',
      (g) => (g.header = (h) => (h === 3 ? { ...headerJson(chain.blocks[2]), header: 'zz' } : headerJson(chain.blocks[h - 1]))),
      { reason: 'malformed', detail: null },
    ],
  ];
  for (const [title, lie, expected] of cases) {
    it(`${title}: ${expected.reason}${expected.detail ? ` (${expected.detail})` : ''}, counted, nothing stored`, async () => {
      const liar = await gateway();
      lie(liar);
      const { c, storage, lies } = await client([liar]);
      // A malformed answer is refused whole (its good headers too); a bad header ends the range at it.
      const kept = expected.reason === 'malformed' ? [] : [1, 2];
      expect((await c.sync())?.height ?? 0).toBe(kept.length);
      expect(lieOf(lies)).toEqual([{ ...expected, height: kept.length + 1 }]);
      expect(lies[0].source).toBe(liar.url);
      expect(c.sourceStats()[0].lies[expected.reason]).toBe(1);
      await expect(c.header(3)).rejects.toMatchObject({ name: 'HeaderUnavailableError', code: 'ERR_LIGHT_HEADER_UNAVAILABLE', height: 3, failures: [{ source: liar.url, reason: expected.reason }] });
      expect(storedHeights(storage)).toEqual(kept);
    });
  }

  it('a vote naming a validator outside the set: bad-certificate (unknown-signer)', async () => {
    const outsider = domainSigner(testSigners(1, 'outsider')[0], consensusDomain(chain.set, nodeSha256));
    const { type, view } = decodeVote(chain.blocks[0].cert[0]);
    const forged = signVote(outsider, type, 4, view, 1, chain.blocks[0].hash);
    const liar = await gateway();
    liar.header = (h) => ({ ...headerJson(chain.blocks[h - 1]), certificate: [...chain.blocks[h - 1].cert.slice(0, 3), forged].map(bytesToHex) });
    const { c, storage, lies } = await client([liar]);
    await expect(c.header(1)).rejects.toBeInstanceOf(HeaderUnavailableError);
    expect(lieOf(lies)).toEqual([{ reason: 'bad-certificate', detail: 'unknown-signer', height: 1 }]);
    expect(storedHeights(storage)).toEqual([]);
  });

  it('a header stream that pushes garbage, a replay and a forgery: each refused; an honest source fills the gap', async () => {
    const liar = await gateway(chain.blocks.slice(0, 1));
    const honest = await gateway();
    const { c, storage, lies } = await client([liar, honest]);
    await c.sync();
    c.follow();
    while (liar.subscribers.length === 0 || honest.subscribers.length === 0) await new Promise((r) => setTimeout(r, 10));
    liar.push('not json');
    liar.push({ ...headerJson(chain.blocks[0]), height: 4 });
    liar.push({ ...headerJson(other.keys.blocks[3]) });
    while (lies.length < 3 || c.height < 4) await new Promise((r) => setTimeout(r, 10));
    expect(lieOf(lies).slice(0, 3)).toEqual([
      { reason: 'malformed', detail: null, height: null },
      { reason: 'wrong-height', detail: null, height: 4 },
      { reason: 'bad-certificate', detail: 'bad-signature', height: 4 },
    ]);
    expect(storedHeights(storage)).toEqual([1, 2, 3, 4]);
    const [l, h] = c.sourceStats();
    expect(l.lies).toMatchObject({ malformed: 1, 'wrong-height': 1, 'bad-certificate': 1 });
    expect(Object.values(h.lies).every((n) => n === 0)).toBe(true);
  });

  it('a checkpoint the source contradicts: wrong-checkpoint; open fails and stores no header', async () => {
    const g = await gateway();
    const storage = new MemoryStorage();
    const opening = LightClient.open({ validatorSet: chain.set, checkpoint: { height: 2, hash: chain.blocks[2].hash }, sources: [g.url], storage });
    await expect(opening).rejects.toMatchObject({ code: 'ERR_LIGHT_HEADER_UNAVAILABLE', failures: [{ reason: 'wrong-checkpoint' }] });
    expect(storage.records({ gte: 'light/header/', lt: 'light/header/~' })).toEqual([]);
  });
});

describe('light client: a source that lies about transactions', () => {
  const txId = (i: number) => bytesToHex(transactionId(chain.txs[i]));
  const proofOf = (block: CommittedBlock) => bytesToHex(encodeCommitProof(buildCommitProof(block, 0)));

  it('a proof of another transaction: bad-proof (wrong-root); the honest second source proves it', async () => {
    const liar = await gateway();
    liar.transaction = (id) => ({ id, status: 'committed', height: 3, index: 0, result: '00', proof: proofOf(chain.blocks[1]) });
    const honest = await gateway();
    const { c, storage, lies } = await client([liar, honest]);
    expect(await c.verifyTransaction(chain.txs[2])).toMatchObject({ status: 'committed', height: 3, source: honest.url });
    expect(lieOf(lies)).toEqual([{ reason: 'bad-proof', detail: 'wrong-root', height: 3 }]);
    expect(c.sourceStats().map((s) => s.lies['bad-proof'])).toEqual([1, 0]);
    expect(storedHeights(storage)).toEqual([1, 2, 3]);
  });

  it('a proof with a forged vote, and one that claims another height: refused; with no honest source, TransactionUnverifiedError', async () => {
    const liar = await gateway();
    const proof = buildCommitProof(chain.blocks[2], 0);
    liar.transaction = (id) => ({ id, status: 'committed', height: 3, index: 0, result: '00', proof: bytesToHex(encodeCommitProof({ ...proof, certificate: proof.certificate.map((f, i) => (i === 1 ? flip(f, 20) : f)) })) });
    const { c, storage, lies } = await client([liar]);
    const failure = await c.verifyTransaction(chain.txs[2]).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(TransactionUnverifiedError);
    expect(failure).toMatchObject({ code: 'ERR_LIGHT_TX_UNVERIFIED', id: txId(2), failures: [{ source: liar.url, reason: 'bad-proof' }] });
    liar.transaction = (id) => ({ id, status: 'committed', height: 2, index: 0, result: '00', proof: proofOf(chain.blocks[2]) });
    await expect(c.verifyTransaction(chain.txs[2])).rejects.toMatchObject({ failures: [{ reason: 'wrong-height' }] });
    liar.transaction = (id) => ({ id, status: 'committed', height: 3, index: 0, result: '00', proof: 'ff00' });
    await expect(c.verifyTransaction(chain.txs[2])).rejects.toMatchObject({ failures: [{ reason: 'malformed' }] });
    expect(lieOf(lies)).toEqual([
      { reason: 'bad-proof', detail: 'wrong-digest', height: 3 },
      { reason: 'wrong-height', detail: null, height: 2 },
      { reason: 'malformed', detail: null, height: 3 },
    ]);
    expect(storedHeights(storage)).toEqual([]);
  });

  it('by id: a block whose transaction is not the one asked for: wrong-transaction', async () => {
    const liar = await gateway();
    liar.block = (height) => ({ height, txs: [bytesToHex(chain.txs[0])] });
    const { c, lies } = await client([liar]);
    await expect(c.verifyTransaction(txId(2))).rejects.toMatchObject({ failures: [{ reason: 'wrong-transaction' }] });
    expect(lieOf(lies)).toEqual([{ reason: 'wrong-transaction', detail: null, height: 3 }]);
    expect(await c.verifyTransaction(chain.txs[2])).toMatchObject({ status: 'committed' });
  });

  it('unknown and pending are reported as the sources say (not proven); unreachable sources are counted', async () => {
    const g = await gateway();
    g.transaction = (id) => (id === txId(0) ? { id, status: 'pending' } : undefined);
    const down = 'http://127.0.0.1:1';
    const c = await LightClient.open({ validatorSet: chain.set, sources: [down, g.url], timeoutMs: 2000 });
    closing.push(c);
    expect(await c.verifyTransaction(chain.txs[0])).toEqual({ status: 'pending', id: txId(0) });
    expect(await c.verifyTransaction(chain.txs[1])).toEqual({ status: 'unknown', id: txId(1) });
    expect(c.sourceStats()[0].unreachable).toBe(2);
  });
});

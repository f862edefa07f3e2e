import { bytesToHex, equalBytes } from '../bytes/index.js';
import {
  type CommittedBlock,
  DecodeError,
  decodeMessage,
  encodeBlock,
  type HashFunction,
  isValidViewChange,
  type Message,
  MessageType,
  type Quorums,
  quorums,
  type Signer,
  signNewView,
  signTransfer,
  signViewChange,
  type TxRootFunction,
  type ViewChange,
  type Vote,
} from '../consensus/index.js';
import type { Prng } from './prng.js';

// Lies a Byzantine validator tells in structure. It signs only with its own key and embeds only
// genuine frames (votes it received, certificates its honest core verified, VIEW-CHANGEs of its
// peers), so what it sends reaches the structural checks, not just the signature check.

/** VIEW-CHANGEs (`fake-viewchange`) that embed genuine votes and misstate what they prove. */
export const VIEW_CHANGE_LIES = [
  /** A committed height "proved" by 2f+1 PREPAREs: a prepared certificate, not a commit certificate. */
  'committed-by-prepares',
  /** A prepared certificate for a slot other than the one above the committed height. */
  'prepared-other-slot',
  /** Another validator's PREPARE as the sender's own latest vote. */
  'latest-of-other',
  /** A prepared certificate for the right slot without the block it names. */
  'prepared-without-body',
  /** A genuine commit certificate under a block hash it does not certify. */
  'cert-other-hash',
] as const;
/** NEW-VIEWs (`fake-viewchange`, as a new view's primary) built from genuine VIEW-CHANGEs, wrongly. */
export const NEW_VIEW_LIES = ['duplicate-senders', 'too-few-view-changes'] as const;
/** TRANSFERs (`transfer-lies`) re-signed with a certificate stripped. */
export const TRANSFER_LIES = ['stripped-block-certs', 'stripped-checkpoint-block-cert', 'short-checkpoint-cert'] as const;
/** What `selective-viewchange` and `subset-newview` count: a VIEW-CHANGE sent to a subset, a NEW-VIEW from a chosen subset, a report it left out. */
const SPLITS = ['selective-viewchange', 'subset-newview', 'left-out-report'] as const;
export type Lie = (typeof VIEW_CHANGE_LIES)[number] | (typeof NEW_VIEW_LIES)[number] | (typeof TRANSFER_LIES)[number] | (typeof SPLITS)[number];

/** Vote groups (one type, view, seq and digest) kept as material: a few per recent slot. */
const KEEP_GROUPS = 32;
/** Own committed blocks kept, with their certificates. */
const KEEP_COMMITTED = 8;
/** Views whose VIEW-CHANGEs are kept. */
const KEEP_VIEWS = 4;
/** How long (in ticks) a primary with `subset-newview` waits for more VIEW-CHANGEs than a quorum, to have a choice. */
const NEW_VIEW_WAIT_TICKS = 10;

interface VoteGroup {
  view: number;
  seq: number;
  digest: Uint8Array;
  votes: Map<number, Uint8Array>;
}

/** A height this replica committed, with the certificate its honest core verified. */
interface Certified {
  height: number;
  hash: Uint8Array;
  cert: Uint8Array[];
}

/**
 * The material for the lies and the lies themselves. It keeps a bounded sample of the genuine
 * PREPAREs it saw, its own last committed certificates, and the VIEW-CHANGEs of the last views.
 */
export class Liar {
  readonly counts: Partial<Record<Lie, number>> = {};
  private readonly q: Quorums;
  private readonly prepares = new Map<string, VoteGroup>();
  private readonly certified: Certified[] = [];
  /** VIEW-CHANGEs by new view, one per sender (its latest). */
  private readonly viewChanges = new Map<number, Map<number, ViewChange>>();
  /** `subset-newview`: the view whose NEW-VIEW it holds back, and for how many more ticks. */
  private held: { view: number; ticks: number } | null = null;
  private readonly sentNewView = new Set<number>();

  constructor(
    readonly id: number,
    readonly n: number,
    private readonly signer: Signer,
    private readonly rng: Prng,
    private readonly genesis: Uint8Array,
    private readonly hash: HashFunction,
    private readonly txRoot: TxRootFunction,
  ) {
    this.q = quorums(n);
  }

  /** A frame it received or sent: PREPAREs (alone or in a PRE-PREPARE) and VIEW-CHANGEs are kept. */
  observe(bytes: Uint8Array): void {
    const type = bytes[1];
    if (type !== MessageType.Prepare && type !== MessageType.PrePrepare && type !== MessageType.ViewChange) return;
    const m = decodeOrNull(bytes);
    if (m?.kind === 'vote') this.keepPrepare(m);
    else if (m?.kind === 'preprepare') this.keepPrepare(m.vote);
    else if (m?.kind === 'viewchange' && isValidViewChange(m, this.q, { height: 0, hash: this.genesis }, this.hash, this.txRoot)) this.keepViewChange(m);
  }

  /** Its honest core committed `blocks`: their certificates are genuine. */
  committed(blocks: readonly CommittedBlock[]): void {
    for (const c of blocks) this.certified.push({ height: c.height, hash: c.hash, cert: c.cert });
    this.certified.splice(0, Math.max(0, this.certified.length - KEEP_COMMITTED));
  }

  private keepPrepare(v: Vote): void {
    if (v.type !== MessageType.Prepare) return;
    const key = `${v.view}:${v.seq}:${bytesToHex(v.digest)}`;
    let group = this.prepares.get(key);
    if (!group) {
      this.prepares.set(key, (group = { view: v.view, seq: v.seq, digest: v.digest, votes: new Map() }));
      if (this.prepares.size > KEEP_GROUPS) this.prepares.delete(this.prepares.keys().next().value as string);
    }
    group.votes.set(v.sender, v.bytes);
  }

  private keepViewChange(vc: ViewChange): void {
    let bySender = this.viewChanges.get(vc.newView);
    if (!bySender) this.viewChanges.set(vc.newView, (bySender = new Map()));
    bySender.set(vc.sender, vc);
    const views = [...this.viewChanges.keys()].sort((a, b) => b - a);
    for (const view of views.slice(KEEP_VIEWS)) this.viewChanges.delete(view);
  }

  /** The VIEW-CHANGE lies its material allows now, each with the frame it would send (one signature each, made on demand). */
  viewChangeLies(view: number): { lie: (typeof VIEW_CHANGE_LIES)[number]; frame: () => Uint8Array }[] {
    const quorumOf = [...this.prepares.values()].filter((g) => g.votes.size >= this.q.quorum);
    const last = this.certified.at(-1);
    const top = Math.max(view, ...[...this.prepares.values()].map((g) => g.view));
    const newView = top + 1 + this.rng.int(2);
    const below = (g: VoteGroup) => (g.seq === 1 ? this.genesisClaim() : this.certified.find((c) => c.height === g.seq - 1));
    const cert = (g: VoteGroup) => [...g.votes.values()].slice(0, this.q.quorum);
    const vc = (committed: Certified, prepared: Uint8Array[], latest: Uint8Array | null) => () =>
      signViewChange(this.signer, this.id, { newView, committed, prepared, latest, blocks: [] });
    const out: ReturnType<Liar['viewChangeLies']> = [];
    const g = quorumOf.at(-1);
    if (g) out.push({ lie: 'committed-by-prepares', frame: vc({ height: g.seq, hash: g.digest, cert: cert(g) }, [], null) });
    const claim = last ?? this.genesisClaim();
    const other = quorumOf.find((x) => x.seq !== claim.height + 1);
    if (other) out.push({ lie: 'prepared-other-slot', frame: vc(claim, cert(other), null) });
    const foreign = [...this.prepares.values()].flatMap((x) => [...x.votes].filter(([sender]) => sender !== this.id)).at(-1);
    if (foreign) out.push({ lie: 'latest-of-other', frame: vc(claim, [], foreign[1]) });
    const bodiless = quorumOf.find((x) => below(x));
    if (bodiless) out.push({ lie: 'prepared-without-body', frame: vc(below(bodiless) as Certified, cert(bodiless), null) });
    if (last) out.push({ lie: 'cert-other-hash', frame: vc({ height: last.height, hash: this.rng.bytes(32), cert: last.cert }, [], null) });
    return out;
  }

  /** The NEW-VIEW lies it can tell as primary of a view whose VIEW-CHANGEs it holds. */
  newViewLies(): { lie: (typeof NEW_VIEW_LIES)[number]; frame: () => Uint8Array }[] {
    const view = [...this.viewChanges.keys()].filter((v) => v % this.n === this.id).sort((a, b) => b - a)[0];
    if (view === undefined) return [];
    const vcs = [...(this.viewChanges.get(view) as Map<number, ViewChange>).values()].map((vc) => vc.bytes);
    const sign = (frames: Uint8Array[]) => () => signNewView(this.signer, this.id, view, frames);
    // At most n frames (a longer list is malformed, not a lie), one sender at least twice.
    const duplicated = vcs.slice(0, Math.min(vcs.length, this.n - 1));
    do duplicated.push(vcs[0]);
    while (duplicated.length < this.q.quorum);
    return [
      { lie: 'duplicate-senders', frame: sign(duplicated) },
      { lie: 'too-few-view-changes', frame: sign(vcs.slice(0, this.q.quorum - 1)) },
    ];
  }

  /** One lie, at random, among those it can tell now, to every peer (`fake-viewchange`). */
  fakeViewChange(view: number): { to: number; bytes: Uint8Array }[] {
    const lies = [...this.viewChangeLies(view), ...this.newViewLies()];
    if (lies.length === 0) return [];
    const { lie, frame } = this.rng.pick(lies);
    this.count(lie);
    const bytes = frame();
    return peers(this.id, this.n).map((to) => ({ to, bytes }));
  }

  /** `transfer-lies`: its TRANSFER re-signed with one kind of certificate stripped (unchanged when it carries none). */
  transfer(bytes: Uint8Array): Uint8Array {
    const m = decodeMessage(bytes);
    if (m.kind !== 'transfer') return bytes;
    const cp = m.checkpoint;
    const options: (typeof TRANSFER_LIES)[number][] = [];
    if (m.blocks.length) options.push('stripped-block-certs');
    if (cp && cp.blockCert.length) options.push('stripped-checkpoint-block-cert');
    if (cp) options.push('short-checkpoint-cert');
    if (options.length === 0) return bytes;
    const lie = this.rng.pick(options);
    this.count(lie);
    const frames = (votes: Vote[]) => votes.map((v) => v.bytes);
    return signTransfer(this.signer, this.id, {
      checkpoint: cp && {
        seq: cp.seq,
        blockHash: cp.blockHash,
        snapshot: cp.snapshot,
        cert: frames(lie === 'short-checkpoint-cert' ? cp.cert.slice(0, this.q.quorum - 1) : cp.cert),
        blockCert: lie === 'stripped-checkpoint-block-cert' ? [] : frames(cp.blockCert),
      },
      blocks: m.blocks.map((b) => ({ block: encodeBlock(b.block), cert: lie === 'stripped-block-certs' ? [] : frames(b.cert) })),
      newView: m.newView?.bytes ?? null,
    });
  }

  /**
   * `subset-newview`: its honest core's NEW-VIEW for `view` is held back (its own VIEW-CHANGE,
   * which went out first, is already kept), so that more VIEW-CHANGEs than a quorum can come in.
   */
  holdNewView(view: number): void {
    if (!this.sentNewView.has(view) && this.held?.view !== view) this.held = { view, ticks: NEW_VIEW_WAIT_TICKS };
  }

  /**
   * The held NEW-VIEW, once more than a quorum of VIEW-CHANGEs came in or the wait is over: 2f+1
   * of them, leaving out the strongest reports (highest committed height, then prepared
   * certificate, then latest vote), signed by itself and sent to some peers only. The new-view
   * rule must be safe whichever 2f+1 valid VIEW-CHANGEs the primary picks.
   */
  releaseNewView(): { to: number; bytes: Uint8Array }[] {
    const held = this.held;
    if (!held) return [];
    const pool = [...(this.viewChanges.get(held.view)?.values() ?? [])];
    if (pool.length <= this.q.quorum && --held.ticks > 0) return [];
    this.held = null;
    this.sentNewView.add(held.view);
    for (const v of this.sentNewView) if (v < held.view - KEEP_VIEWS) this.sentNewView.delete(v);
    if (pool.length < this.q.quorum) return [];
    pool.sort((a, b) => strength(a) - strength(b) || a.sender - b.sender);
    this.count('subset-newview');
    if (pool.length > this.q.quorum) this.count('left-out-report', pool.length - this.q.quorum);
    const bytes = signNewView(this.signer, this.id, held.view, pool.slice(0, this.q.quorum).map((vc) => vc.bytes));
    return this.rng.sample(peers(this.id, this.n), 1 + this.rng.int(this.n - 2)).map((to) => ({ to, bytes }));
  }

  /** Whether it sent (or is holding) its NEW-VIEW for `view`: the core's own is not sent then. */
  replacesNewView(view: number): boolean {
    return this.sentNewView.has(view) || this.held?.view === view;
  }

  count(lie: Lie, by = 1): void {
    this.counts[lie] = (this.counts[lie] ?? 0) + by;
  }

  private genesisClaim(): Certified {
    return { height: 0, hash: this.genesis, cert: [] };
  }
}

/**
 * `selective-viewchange`: its first (genuine) VIEW-CHANGE goes to a few peers only, 1 to n−2 of
 * them (with it, some may hold a quorum for the new view and others not), and from then on it
 * sends nothing but that frame again, to the same peers.
 */
export class SelectiveViewChange {
  private frame: Uint8Array | null = null;
  private chosen: number[] = [];

  constructor(
    private readonly id: number,
    private readonly n: number,
    private readonly rng: Prng,
    private readonly liar: Liar,
  ) {}

  get silent(): boolean {
    return this.frame !== null;
  }

  /** Where a frame of its core goes instead of `to`. */
  route(bytes: Uint8Array, to: number[]): number[] {
    if (this.frame === null && bytes[1] === MessageType.ViewChange) {
      this.frame = bytes;
      this.chosen = this.rng.sample(peers(this.id, this.n), 1 + this.rng.int(this.n - 2));
    }
    if (this.frame === null) return to;
    if (!equalBytes(bytes, this.frame)) return [];
    const sent = to.filter((peer) => this.chosen.includes(peer));
    if (sent.length) this.liar.count('selective-viewchange');
    return sent;
  }
}

/** A report's weight in the new-view rule, to leave the heaviest out: committed height, then prepared view, then latest view. */
function strength(vc: ViewChange): number {
  const prepared = vc.prepared[0]?.view ?? -1;
  const latest = vc.latest?.view ?? -1;
  return vc.committed.height * 2 ** 40 + (prepared + 1) * 2 ** 20 + (latest + 1);
}

function peers(id: number, n: number): number[] {
  return [...Array(n).keys()].filter((i) => i !== id);
}

/** Adds up the adversaries' counts (`SimResult.lies`). */
export function tallyLies(counts: Partial<Record<Lie, number>>[]): Partial<Record<Lie, number>> {
  const out: Partial<Record<Lie, number>> = {};
  for (const c of counts) for (const [lie, k] of Object.entries(c) as [Lie, number][]) out[lie] = (out[lie] ?? 0) + k;
  return out;
}

/** A frame from anyone (another Byzantine replica sends garbage too), or null. */
export function decodeOrNull(bytes: Uint8Array): Message | null {
  try {
    return decodeMessage(bytes);
  } catch (err) {
    if (err instanceof DecodeError) return null;
    throw err;
  }
}

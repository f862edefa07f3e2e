import { type Block, decodeBlock, encodeBlock } from './block.js';
import { Reader, Writer } from './codec.js';

/** What a replica must remember across a crash to stay safe: never vote twice in one (view, seq). */
export interface HardState {
  view: number;
  inViewChange: boolean;
  /** Own latest PREPARE frame for the next slot, or null. */
  latest: Uint8Array | null;
  /** Highest prepared certificate (PREPARE frames) for the next slot. */
  prepared: Uint8Array[];
  /** Bodies of the blocks `latest` and `prepared` name. */
  blocks: Block[];
  /** The NEW-VIEW frame that started `view`, or null in view 0. */
  newView: Uint8Array | null;
}

const empty = new Uint8Array(0);

export function encodeHardState(s: HardState): Uint8Array {
  const w = new Writer(1024);
  w.u8(1).u32(s.view).u8(s.inViewChange ? 1 : 0).bytes(s.latest ?? empty).list(s.prepared);
  w.list(s.blocks.map(encodeBlock)).bytes(s.newView ?? empty);
  return w.finish();
}

export function decodeHardState(bytes: Uint8Array): HardState {
  const r = new Reader(bytes);
  r.u8();
  const view = r.u32();
  const inViewChange = r.u8() === 1;
  const latest = r.bytes();
  const prepared = r.list();
  const blocks = r.list().map(decodeBlock);
  const newView = r.bytes();
  r.end();
  return { view, inViewChange, latest: latest.length ? latest : null, prepared, blocks, newView: newView.length ? newView : null };
}

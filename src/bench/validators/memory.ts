import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Reader, Writer } from '../../consensus/index.js';
import { ValidatorState, type ValidatorStateMachine } from '../../validators/index.js';

// What the state costs to hold. Bytes: the snapshot (the canonical encoding a node stores and
// ships in state sync), and each table's part of it. Heap: each table decoded from its own part
// into a fresh table and its root computed (every leaf hash cached, as on a running replica);
// the live heap (plus ArrayBuffers) grown across it, after full collections. Decoding gives each
// table its own keys and values, sharing nothing with the state it came from.

/** The tables the bench fills (it holds no evidence). */
// Full collections on demand: the CLI does not run Node with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Live heap plus ArrayBuffer backing stores after two full collections, in bytes. */
function liveBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const TABLES = ['validators', 'delegations', 'balances', 'rewards', 'unbonding', 'redelegations'] as const;
type TableName = (typeof TABLES)[number];

interface TableFigures {
  name: TableName;
  entries: number;
  /** Its part of the snapshot. */
  bytes: number;
  /** Live heap it holds. */
  heapBytes: number;
}

export interface MemoryFigures {
  validators: number;
  snapshotBytes: number;
  tables: TableFigures[];
  /** Live heap of the whole state restored from the snapshot (a fresh machine's worth), and its root computed. */
  heapBytes: number;
}

export function measureMemory(machine: ValidatorStateMachine, snapshot: Uint8Array): MemoryFigures {
  machine.restore(snapshot);
  const s = machine.state;
  const tables: TableFigures[] = [];
  for (const name of TABLES) {
    const w = new Writer(1 << 16);
    s[name].encode(w);
    const bytes = w.finish();
    const fresh = new ValidatorState(s.params);
    const before = liveBytes();
    fresh[name].decodeFrom(new Reader(bytes));
    fresh[name].rootHash();
    const heapBytes = liveBytes() - before;
    tables.push({ name, entries: fresh[name].size, bytes: bytes.length, heapBytes });
  }
  const whole = new ValidatorState(s.params);
  const before = liveBytes();
  whole.restore(new Reader(snapshot));
  whole.root();
  const heapBytes = liveBytes() - before;
  // Kept alive until measured: touch it after the figure is taken.
  if (whole.validators.size !== s.validators.size) throw new Error('bench validators: the restored state lost validators');
  return { validators: s.validators.size, snapshotBytes: snapshot.length, tables, heapBytes };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openLevelStorage } from '../../src/node/index.js';
import { type Storage, StorageLockedError, StorageOpenError } from '../../src/storage/index.js';
import { expectRejection } from '../_support/refusals.js';
import { Rng, testSeed } from '../_support/seed.js';
import { collect, storageContract } from '../storage/contract.js';

// LevelStorage on LevelDB (classic-level) in temporary directories: the Storage contract,
// reopening, the directory lock, and durability across `kill -9` of a real writer process.

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'swarmguard-level-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const enc = new TextEncoder();
const dec = new TextDecoder();
const text = (value: Uint8Array | undefined) => (value === undefined ? undefined : dec.decode(value));

// The writer runs from the compiled package (npm test builds dist/ first). It keeps up to 64
// writes in flight, so group commit merges them, and prints each number once its write resolved.
const entry = fileURLToPath(new URL('../../dist/src/entries/node.js', import.meta.url));
const WRITER = `
import { openLevelStorage } from ${JSON.stringify(entry)};
const [path, first] = [process.argv[1], Number(process.argv[2])];
const storage = await openLevelStorage(path);
const pad = (i) => String(i).padStart(8, '0');
const fill = (i, n) => new Uint8Array(n).fill(i & 0xff);
const deadline = Date.now() + 10_000;
let next = first;
let inFlight = 0;
process.stdout.write('open\\n');
const issue = () => {
  while (inFlight < 64 && next < first + 1_000_000 && Date.now() < deadline) {
    const i = next++;
    inFlight++;
    storage
      .write([
        { type: 'put', key: 'batch/' + pad(i) + '/a', value: fill(i, 16 + (i % 700)) },
        { type: 'put', key: 'batch/' + pad(i) + '/b', value: fill(i, 1 + (i % 13)) },
        { type: 'put', key: 'head', value: new TextEncoder().encode(String(i)) },
      ])
      .then(() => {
        inFlight--;
        process.stdout.write('ack ' + i + '\\n');
        setImmediate(issue);
      });
  }
};
issue();
`;

interface Writer {
  child: ChildProcess;
  /** Resolves on the child's 'open' line. */
  opened: Promise<void>;
  /** Every number the child printed as acknowledged. */
  acked: number[];
  exited: Promise<void>;
}

function startWriter(path: string, first: number): Writer {
  const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, path, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: number[] = [];
  let stderr = '';
  let buffered = '';
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (buffered + chunk.toString()).split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'open') open();
      else if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
    }
  });
  const exited = new Promise<void>((resolve, reject) =>
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`the writer exited on its own (${code ?? signal}): ${stderr}`)))),
  );
  return { child, opened, acked, exited };
}

/** What the store holds after the writer died: `head` and batches 0..head, each whole; returns head. */
async function checkPrefix(storage: Storage, label: string): Promise<number> {
  const head = Number(text(await storage.get('head')) ?? '-1');
  const seen = new Map<number, string[]>();
  for await (const [key, value] of storage.entries({ gte: 'batch/', lt: 'batch0' })) {
    const [, number, part] = key.split('/');
    const i = Number(number);
    expect(value.length, `${label}: length of ${key}`).toBe(part === 'a' ? 16 + (i % 700) : 1 + (i % 13));
    expect(value.every((byte) => byte === (i & 0xff)), `${label}: bytes of ${key}`).toBe(true);
    seen.set(i, [...(seen.get(i) ?? []), part]);
  }
  expect(seen.size, `${label}: batches stored vs head ${head}`).toBe(head + 1);
  for (let i = 0; i <= head; i++) expect(seen.get(i), `${label}: batch ${i} whole`).toEqual(['a', 'b']);
  return head;
}

describe('LevelStorage on LevelDB (openLevelStorage)', () => {
  describe('the Storage contract', () => storageContract('LevelStorage', () => openLevelStorage(tempDir())));

  it('keeps what was written across close and reopen', async () => {
    const path = tempDir();
    const first = await openLevelStorage(path);
    await first.write([{ type: 'put', key: 'hard/a', value: enc.encode('1') }]);
    await Promise.all(Array.from({ length: 100 }, (_, i) => first.write([{ type: 'put', key: `entry/${String(i).padStart(3, '0')}`, value: enc.encode(String(i)) }])));
    expect(first.stats()).toMatchObject({ writes: 101, groups: 2 });
    await first.close();
    const second = await openLevelStorage(path, { createIfMissing: false, maxQueuedBytes: 1 << 20 });
    expect(text(await second.get('hard/a'))).toBe('1');
    expect((await collect(second, { gte: 'entry/', lt: 'entry0' })).length).toBe(100);
    await second.close();
  });

  it('refuses a second handle on the same directory with StorageLockedError naming the path', async () => {
    const path = tempDir();
    const holder = await openLevelStorage(path);
    const err = await openLevelStorage(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageLockedError);
    expect((err as StorageLockedError).code).toBe('ERR_STORAGE_LOCKED');
    expect((err as StorageLockedError).path).toBe(path);
    expect((err as Error).message).toBe(`openLevelStorage: the database at ${path} is locked: another process (or another handle in this one) holds it`);
    await holder.write([{ type: 'put', key: 'k', value: enc.encode('v') }]);
    await holder.close();
    const next = await openLevelStorage(path);
    expect(text(await next.get('k'))).toBe('v');
    await next.close();
  });

  it('refuses a directory holding no database when told not to create one, with StorageOpenError', async () => {
    const path = join(tempDir(), 'missing');
    const err = await openLevelStorage(path, { createIfMissing: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageOpenError);
    expect((err as StorageOpenError).code).toBe('ERR_STORAGE_OPEN');
    expect((err as Error).message).toMatch(new RegExp(`^openLevelStorage: the database at ${path} could not be opened: .*(does not exist|No such file)`));
  });

  it('refuses bad arguments naming the function and the argument', async () => {
    const path = tempDir();
    await expectRejection(() => openLevelStorage(1 as never), 'type', 'openLevelStorage', 'path', 'must be a string, got a number (1)');
    await expectRejection(() => openLevelStorage(path, { createIfMissing: 'yes' as never }), 'type', 'openLevelStorage', 'options.createIfMissing');
    await expectRejection(() => openLevelStorage(path, { maxQueuedBytes: 0 }), 'range', 'openLevelStorage', 'options.maxQueuedBytes');
    await expectRejection(() => openLevelStorage(path, { sync: false } as never), 'type', 'openLevelStorage', 'options.sync');
    // No handle was left behind by the refusals: the directory opens.
    await (await openLevelStorage(path)).close();
  });

  it('keeps every acknowledged batch, whole and in order, when a writer process is killed with SIGKILL (3 rounds)', async () => {
    const seed = testSeed('LevelStorage kill -9');
    const rng = new Rng(seed);
    const path = tempDir();
    let next = 0;
    for (let round = 0; round < 3; round++) {
      const writer = startWriter(path, next);
      try {
        await writer.opened;
        if (round === 0) {
          const err = await openLevelStorage(path).catch((e: unknown) => e);
          expect(err, 'the lock held by another process').toBeInstanceOf(StorageLockedError);
        }
        await new Promise((r) => setTimeout(r, 20 + rng.int(300)));
      } finally {
        writer.child.kill('SIGKILL');
      }
      await writer.exited;
      const label = `seed ${seed}, round ${round}`;
      const storage = await openLevelStorage(path);
      const head = await checkPrefix(storage, label);
      await storage.close();
      const acked = writer.acked;
      expect(acked.length, `${label}: acknowledgements`).toBeGreaterThan(0);
      expect(acked, `${label}: acknowledged in order`).toEqual(Array.from({ length: acked.length }, (_, i) => next + i));
      expect(head, `${label}: every acknowledged batch is stored`).toBeGreaterThanOrEqual(acked[acked.length - 1]);
      next = head + 1;
    }
  }, 30_000);
});

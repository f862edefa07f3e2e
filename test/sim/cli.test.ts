import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { repro, simCommand } from '../../src/cli/sim.js';
import { UsageError } from '../../src/cli/usage.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  return { out, err };
}

afterEach(() => vi.restoreAllMocks());

describe('swarmguard sim', () => {
  it('prints the JSON summary, writes the commit log and exits 0; the same seed gives the same trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmguard-sim-'));
    const log = join(dir, 'commits.jsonl');
    const { out } = capture();
    expect(await simCommand(['--seed', '11', '--duration', '2', '--json', '--log', log])).toBe(0);
    expect(await simCommand(['--seed', '11', '--duration', '2', '--json'])).toBe(0);
    const [a, b] = out.map((l) => JSON.parse(l));
    expect(Object.keys(a)).toEqual([
      'seed', 'ok', 'replicas', 'byzantine', 'byzantineIds', 'faults', 'parameters', 'pipeline', 'failedIds', 'committedBlocks', 'committedTxs', 'messages', 'verified',
      'txAttacks', 'proofsChecked', 'violations', 'traceHash',
    ]);
    expect(a.ok).toBe(true);
    expect(a.messages).toBeGreaterThan(0);
    expect(a.proofsChecked).toBe(a.committedBlocks);
    for (const key of Object.keys(a.parameters)) expect(['drop', 'duplicate', 'delay', 'reorder', 'partition', 'isolate', 'crash', 'disk', 'slowDisk', 'tornWrite', 'corruptDisk', 'reorderTxs', 'oneWay', 'clockSkew']).toContain(key);
    expect(a).toMatchObject({ seed: 11, replicas: 4, byzantine: 1, violations: [] });
    expect(b.traceHash).toBe(a.traceHash);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(a.committedBlocks);
    expect(Object.keys(lines[0])).toEqual(['replica', 'height', 'blockHash', 'view', 'txs', 'at']);
    expect(lines.every((l) => !a.byzantineIds.includes(l.replica))).toBe(true);
  });

  it('takes an explicit fault list and Byzantine count', async () => {
    const { out } = capture();
    expect(await simCommand(['--seed', '3', '--replicas', '4', '--byzantine', '0', '--faults', 'drop,reorder', '--duration', '2', '--json'])).toBe(0);
    const run = JSON.parse(out[0]);
    expect(run).toMatchObject({ byzantine: 0, byzantineIds: [], faults: ['drop', 'reorder'] });
    expect(Object.keys(run.parameters)).toEqual(['drop', 'reorder']);
    expect(run.parameters.drop.rate).toBeGreaterThan(0);
  });

  it('runs epochs: the JSON line carries what the hand-overs did, the text a line of them, a failure the flags that replay it', async () => {
    const { out } = capture();
    expect(await simCommand(['--seed', '2', '--duration', '2', '--epoch-blocks', '8', '--json'])).toBe(0);
    const run = JSON.parse(out[0]);
    expect(run.epochs).toMatchObject({ candidates: 7, epochBlocks: 8 });
    expect(run.epochs.sets.length).toBeGreaterThan(1);
    expect(await simCommand(['--seed', '2', '--duration', '2', '--epoch-blocks', '8', '--candidates', '5'])).toBe(0);
    expect(out.find((l) => l.startsWith('  epochs: '))).toMatch(/^ {2}epochs: \d+ sets of 5 candidates, \d+ joins, \d+ leaves; staking: .*register 1.*; \d+ jailed, \d+ burned$/);
    expect(repro({ ...run, simulatedMs: 2000 })).toMatch(/ --duration 2 --pipeline 1 --epoch-blocks 8 --candidates 7$/);
  });

  it('runs with hybrid signatures: the JSON line and the text name the scheme', async () => {
    const { out } = capture();
    expect(await simCommand(['--seed', '4', '--duration', '1', '--faults', 'drop', '--signatures', 'ed25519+mldsa65', '--json'])).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({ seed: 4, ok: true, signatures: 'ed25519+mldsa65', violations: [] });
    expect(await simCommand(['--seed', '4', '--duration', '1', '--faults', 'drop', '--signatures', 'ed25519+mldsa65'])).toBe(0);
    expect(out[1]).toMatch(/^seed 4: n=4 W=\d+ signatures=ed25519\+mldsa65 byzantine=/);
  });

  it('runs the depth --pipeline sets (else the seed draws it), and the repro line replays it', async () => {
    const { out } = capture();
    expect(await simCommand(['--seed', '3', '--duration', '1', '--faults', 'drop', '--pipeline', '2', '--json'])).toBe(0);
    const run = JSON.parse(out[0]);
    expect(run).toMatchObject({ pipeline: 2, ok: true });
    expect(repro({ ...run, simulatedMs: 1000 })).toMatch(/ --duration 1 --pipeline 2$/);
    const drawn = new Set<number>();
    for (let seed = 1; seed <= 12; seed++) {
      expect(await simCommand(['--seed', String(seed), '--duration', '0.2', '--faults', 'drop', '--json'])).toBe(0);
      drawn.add(JSON.parse(out[out.length - 1]).pipeline);
    }
    expect([...drawn].sort((a, b) => a - b)).toEqual([1, 2, 4, 8]);
    await expect(simCommand(['--seed', '1', '--pipeline', '0'])).rejects.toThrow(/--pipeline/);
    await expect(simCommand(['--seed', '1', '--pipeline', '17'])).rejects.toThrow(/--pipeline/);
  });

  it('prints the drawn parameters under the summary line', async () => {
    const { out } = capture();
    expect(await simCommand(['--seed', '5', '--faults', 'drop,crash,silence', '--duration', '1'])).toBe(0);
    expect(out[1]).toMatch(/^ {2}drawn: drop [\d.]+%, crash every [\d.]+ s for .+, disk [\d.]+ ms$/);
  });

  it('refuses a misuse with a UsageError naming the option, before any seed runs', async () => {
    const { out } = capture();
    const cases: [string[], string][] = [
      [['--seed', '1', '--faults', 'gremlins'], "unknown fault 'gremlins'"],
      [['--seed', 'x'], "--seed must be an integer from 0 to 4294967295, got 'x'"],
      [['--seed', '1', '--replicas', '3'], "--replicas must be an integer from 4 to 64, got '3'"],
      [['--seed', '1', '--byzantine', '2'], "--byzantine must be an integer from 0 to 1, got '2'"],
      [['--seed', '1', '--duration', '0'], "--duration must be a number of seconds > 0, got '0'"],
      [['--seeds', '0'], "--seeds must be an integer from 1 to 4294967295, got '0'"],
      [['--seed', '1', '--bogus'], "Unknown option '--bogus'"],
      [['--seed', '1', '--candidates', '6'], '--candidates needs --epoch-blocks'],
      [['--seed', '1', '--epoch-blocks', '8', '--candidates', '4'], "--candidates must be an integer from 5 to 64, got '4'"],
      [['--seed', '1', '--epoch-blocks', '12'], 'options.epochs.epochBlocks must be a multiple of the checkpoint interval (8), got 12'],
      [['--seed', '1', '--log', join(tmpdir(), 'no-such-folder-swarmguard', 'x.jsonl')], '--log: folder'],
      [['--seed', '1', '--signatures', 'mldsa65'], "--signatures must be one of ed25519, ed25519+mldsa65, got 'mldsa65'"],
      [['--seed', '1', '--signatures', 'ed25519+mldsa65', '--epoch-blocks', '8'], '--signatures ed25519+mldsa65 does not go with --epoch-blocks'],
      [[], '--seed or --seeds is required'],
    ];
    for (const [args, reason] of cases) {
      const err = await simCommand(args).then(() => null, (e: unknown) => e);
      expect(err, args.join(' ')).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toContain(reason);
      expect((err as UsageError).usage).toMatch(/^usage: swarmguard sim/);
    }
    expect(out).toEqual([]);
  });
});

import { closeSync, openSync, writeSync } from 'node:fs';
import { describeParameters, type Fault, isFault, type SimResult, simulate } from '../sim/index.js';
import { integerOption, parseStrict, secondsOption, signaturesOption, SIM_USAGE, UsageError, writableFileOption } from './usage.js';

/** The one-line command that replays run `r` exactly (the seed draws the same parameters for the same faults). */
export function repro(r: SimResult): string {
  const epochs = r.epochs ? ` --epoch-blocks ${r.epochs.epochBlocks} --candidates ${r.epochs.candidates}` : '';
  // A summary read back from --json names the scheme only when it is not the default.
  const signatures = (r.signatures ?? 'ed25519') === 'ed25519' ? '' : ` --signatures ${r.signatures}`;
  // A summary read back from --json written before pipelining has no depth: the seed draws it.
  const pipeline = r.pipeline === undefined ? '' : ` --pipeline ${r.pipeline}`;
  return `npx swarmguard sim --seed ${r.seed} --replicas ${r.replicas} --byzantine ${r.byzantine} --faults ${r.faults.join(',')} --duration ${r.simulatedMs / 1000}${pipeline}${epochs}${signatures}`;
}

/** An epoch run's hand-overs and staking in one line. */
function epochLine(e: NonNullable<SimResult['epochs']>): string {
  const staking = Object.entries(e.staking).map(([op, t]) => `${op} ${t.applied}${Object.keys(t.refused).length ? ` (refused: ${Object.entries(t.refused).map(([why, n]) => `${n} ${why}`).join(', ')})` : ''}`);
  return `  epochs: ${e.sets.length} sets of ${e.candidates} candidates, ${e.joins} joins, ${e.leaves} leaves; staking: ${staking.join(', ')}; ${e.jailed} jailed, ${e.burned} burned`;
}

/**
 * `swarmguard sim`: runs seeded simulations; 0 when no invariant broke, 1 otherwise. A misuse
 * throws `UsageError` before any seed runs.
 */
export async function simCommand(args: string[]): Promise<number> {
  const { values } = parseStrict(
    args,
    {
      seed: { type: 'string' },
      seeds: { type: 'string' },
      replicas: { type: 'string', default: '4' },
      byzantine: { type: 'string' },
      faults: { type: 'string' },
      duration: { type: 'string', default: '10' },
      'epoch-blocks': { type: 'string' },
      candidates: { type: 'string' },
      signatures: { type: 'string', default: 'ed25519' },
      pipeline: { type: 'string' },
      json: { type: 'boolean', default: false },
      log: { type: 'string' },
    },
    SIM_USAGE,
  );
  if (values.help) {
    process.stdout.write(`${SIM_USAGE}\n`);
    return 0;
  }
  if (values.seed === undefined && values.seeds === undefined) throw new UsageError('--seed or --seeds is required', SIM_USAGE);
  const seed = values.seed === undefined ? 1 : integerOption(values.seed as string, '--seed', 0, 0xffffffff, SIM_USAGE);
  const seeds = values.seeds === undefined ? 1 : integerOption(values.seeds as string, '--seeds', 1, 0x100000000 - seed, SIM_USAGE);
  const replicas = integerOption(values.replicas as string, '--replicas', 4, 64, SIM_USAGE);
  const duration = secondsOption(values.duration as string, '--duration', SIM_USAGE);
  const byzantine = values.byzantine === undefined ? undefined : integerOption(values.byzantine as string, '--byzantine', 0, Math.floor((replicas - 1) / 3), SIM_USAGE);
  const faults = values.faults === undefined ? undefined : (values.faults as string).split(',').filter((x) => x !== '');
  const badFault = faults?.find((x) => !isFault(x));
  if (badFault !== undefined) throw new UsageError(`unknown fault '${badFault}'`, SIM_USAGE);
  if (values.log !== undefined) writableFileOption(values.log as string, '--log', SIM_USAGE);
  if (values.candidates !== undefined && values['epoch-blocks'] === undefined) throw new UsageError('--candidates needs --epoch-blocks', SIM_USAGE);
  const epochs =
    values['epoch-blocks'] === undefined
      ? undefined
      : {
          epochBlocks: integerOption(values['epoch-blocks'] as string, '--epoch-blocks', 1, 1 << 20, SIM_USAGE),
          candidates: values.candidates === undefined ? replicas + 3 : integerOption(values.candidates as string, '--candidates', replicas + 1, 64, SIM_USAGE),
        };
  const signatures = signaturesOption(values.signatures, SIM_USAGE);
  if (epochs && signatures !== 'ed25519') throw new UsageError('--signatures ed25519+mldsa65 does not go with --epoch-blocks (the validator state machine\'s keys are Ed25519)', SIM_USAGE);
  const pipeline = values.pipeline === undefined ? undefined : integerOption(values.pipeline as string, '--pipeline', 1, 16, SIM_USAGE);
  const log = values.log ? openSync(values.log as string, 'w') : undefined;
  let failed = 0;
  try {
    for (let s = seed; s < seed + seeds; s++) {
      let result: SimResult;
      try {
        result = simulate({
          seed: s >>> 0,
          replicas,
          byzantine,
          faults: faults as Fault[] | undefined,
          duration,
          epochs,
          signatures,
          ...(pipeline === undefined ? {} : { replica: { pipeline } }),
          onCommit: log === undefined ? undefined : (line) => writeSync(log, `${JSON.stringify(line)}\n`),
        });
      } catch (err) {
        throw new UsageError((err as Error).message, SIM_USAGE);
      }
      const ok = result.violations.length === 0;
      if (!ok) failed++;
      if (values.json) {
        const { seed: sd, replicas: n, signatures: scheme, byzantine: k, byzantineIds, faults: fx, parameters, pipeline: w, failedIds, committedBlocks, committedTxs, messages, verified, txAttacks, proofsChecked, violations, traceHash } = result;
        // The scheme only when it is not the default: default lines stay as they were.
        const summary = { seed: sd, ok, replicas: n, ...(scheme === 'ed25519' ? {} : { signatures: scheme }), byzantine: k, byzantineIds, faults: fx, parameters, pipeline: w, failedIds, committedBlocks, committedTxs, messages, verified, txAttacks, proofsChecked, violations, traceHash };
        console.log(JSON.stringify(result.epochs ? { ...summary, epochs: result.epochs } : summary));
      } else if (seeds === 1 || !ok) {
        console.log(
          `seed ${result.seed}: n=${result.replicas} W=${result.pipeline}${result.signatures === 'ed25519' ? '' : ` signatures=${result.signatures}`} byzantine=[${result.byzantineIds.join(',')}] faults=${result.faults.join(',')} — ` +
            `${result.committedBlocks} blocks, ${result.committedTxs} txs in ${duration}s simulated, ${result.messages} messages; trace ${result.traceHash}`,
        );
        const drawn = describeParameters(result.parameters);
        if (drawn) console.log(`  drawn: ${drawn}`);
        const attacks = Object.entries(result.txAttacks).map(([name, a]) => `${name} ${a.proposed} proposed, ${a.delivered} delivered`);
        if (attacks.length) console.log(`  transaction attacks (none may get an honest vote): ${attacks.join('; ')}`);
        console.log(`  commit proofs verified: ${result.proofsChecked}`);
        if (result.epochs) console.log(epochLine(result.epochs));
        if (result.failedIds.length) console.log(`  disk damaged beyond recovery (refused to start): replicas ${result.failedIds.join(', ')}`);
      }
      if (!ok) {
        for (const v of result.violations) console.log(`  violation: ${v}`);
        console.log(`  reproduce: ${repro(result)}`);
      }
    }
  } finally {
    if (log !== undefined) closeSync(log);
  }
  if (seeds > 1 && !values.json) console.log(`${seeds - failed}/${seeds} seeds passed`);
  return failed === 0 ? 0 : 1;
}

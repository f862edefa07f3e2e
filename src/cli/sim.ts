import { closeSync, openSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeParameters, type Fault, FAULTS, isFault, type SimResult, simulate } from '../sim/index.js';

export const simUsage = `usage: swarmguard sim --seed S [--replicas N] [--byzantine K] [--faults LIST] [--duration SECONDS] [--json] [--log FILE]
       swarmguard sim --seeds COUNT [--seed FIRST] [...]   (soak: COUNT seeds from FIRST, each drawing its own faults)
faults: ${FAULTS.join(',')}`;

/** The one-line command that replays run `r` exactly (the seed draws the same parameters for the same faults). */
export function repro(r: SimResult): string {
  return `npx swarmguard sim --seed ${r.seed} --replicas ${r.replicas} --byzantine ${r.byzantine} --faults ${r.faults.join(',')} --duration ${r.simulatedMs / 1000}`;
}

/** `swarmguard sim`: runs seeded simulations; exit 0 when no invariant broke, 1 otherwise, 2 on bad usage. */
export async function simCommand(args: string[]): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${simUsage}`);
    return 2;
  }
  const seed = Number(values.seed ?? (values.seeds ? 1 : Number.NaN));
  const seeds = values.seeds === undefined ? 1 : Number(values.seeds);
  const replicas = Number(values.replicas);
  const duration = Number(values.duration);
  const byzantine = values.byzantine === undefined ? undefined : Number(values.byzantine);
  const faults = values.faults === undefined ? undefined : values.faults.split(',').filter((x) => x !== '');
  const badFault = faults?.find((x) => !isFault(x));
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff || !Number.isInteger(seeds) || seeds < 1 || !Number.isInteger(replicas) || !(duration > 0) || badFault !== undefined || (byzantine !== undefined && !Number.isInteger(byzantine))) {
    console.error(badFault ? `unknown fault ${badFault}\n${simUsage}` : simUsage);
    return 2;
  }
  const log = values.log ? openSync(values.log, 'w') : undefined;
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
          onCommit: log === undefined ? undefined : (line) => writeSync(log, `${JSON.stringify(line)}\n`),
        });
      } catch (err) {
        console.error(`${(err as Error).message}\n${simUsage}`);
        return 2;
      }
      const ok = result.violations.length === 0;
      if (!ok) failed++;
      if (values.json) {
        const { seed: sd, replicas: n, byzantine: k, byzantineIds, faults: fx, parameters, failedIds, committedBlocks, committedTxs, txAttacks, proofsChecked, violations, traceHash } = result;
        console.log(JSON.stringify({ seed: sd, replicas: n, byzantine: k, byzantineIds, faults: fx, parameters, failedIds, committedBlocks, committedTxs, txAttacks, proofsChecked, violations, traceHash }));
      } else if (seeds === 1 || !ok) {
        console.log(
          `seed ${result.seed}: n=${result.replicas} byzantine=[${result.byzantineIds.join(',')}] faults=${result.faults.join(',')} — ` +
            `${result.committedBlocks} blocks, ${result.committedTxs} txs in ${duration}s simulated, ${result.messages} messages; trace ${result.traceHash}`,
        );
        const drawn = describeParameters(result.parameters);
        if (drawn) console.log(`  drawn: ${drawn}`);
        const attacks = Object.entries(result.txAttacks).map(([name, a]) => `${name} ${a.proposed} proposed, ${a.delivered} delivered`);
        if (attacks.length) console.log(`  transaction attacks (none may get an honest vote): ${attacks.join('; ')}`);
        console.log(`  commit proofs verified: ${result.proofsChecked}`);
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

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    options: {
      seed: { type: 'string' },
      seeds: { type: 'string' },
      replicas: { type: 'string', default: '4' },
      byzantine: { type: 'string' },
      faults: { type: 'string' },
      duration: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
      log: { type: 'string' },
    },
  });
}

import { readFile } from 'node:fs/promises';
import { bytesToHex } from '../bytes/index.js';
import { type Lie, LightClient, validatorSetFromGenesis } from '../light/index.js';
import { integerOption, LIGHT_USAGE, parseStrict, UsageError } from './usage.js';

/**
 * `swarmguard light verify-tx`: a transaction's commit, checked by a light client that holds only
 * genesis — its proof, and the header it proves against followed from genesis by certificates and
 * parent links. Prints the verdict with every lie a source told as JSON; exit 0 only when committed.
 */
export async function lightCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === '-h' || action === '--help') {
    process.stdout.write(`${LIGHT_USAGE}\n`);
    return 0;
  }
  if (action !== 'verify-tx') throw new UsageError(action === undefined ? 'which action? (verify-tx)' : `unknown action '${action}'`, LIGHT_USAGE);
  const { values, positionals } = parseStrict(rest, { genesis: { type: 'string' }, rpc: { type: 'string' }, wait: { type: 'string', default: '0' } }, LIGHT_USAGE, true);
  if (values.help) {
    process.stdout.write(`${LIGHT_USAGE}\n`);
    return 0;
  }
  for (const option of ['genesis', 'rpc']) if (typeof values[option] !== 'string') throw new UsageError(`--${option} is required`, LIGHT_USAGE);
  const id = positionals[0];
  if (positionals.length !== 1 || !/^[0-9a-fA-F]{64}$/.test(id)) throw new UsageError('one transaction id of 64 hex digits is required', LIGHT_USAGE);
  const wait = integerOption(values.wait as string, '--wait', 0, 30, LIGHT_USAGE);
  let genesis: unknown;
  try {
    genesis = JSON.parse(await readFile(values.genesis as string, 'utf8'));
  } catch (err) {
    throw new UsageError(`--genesis: cannot read ${values.genesis as string}: ${(err as Error).message}`, LIGHT_USAGE);
  }
  let client: LightClient;
  try {
    client = await LightClient.open({ validatorSet: validatorSetFromGenesis(genesis), sources: (values.rpc as string).split(',') });
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) throw new UsageError(err.message, LIGHT_USAGE);
    throw err;
  }
  const lies: Lie[] = [];
  client.onLie((l) => lies.push(l));
  try {
    const v = await client.verifyTransaction(id, { waitMs: wait * 1000 });
    const shown = v.status === 'committed' ? { ...v, blockHash: bytesToHex(v.blockHash), result: bytesToHex(v.result) } : v;
    process.stdout.write(`${JSON.stringify({ ...shown, lies: lies.map(({ source, reason, detail, height }) => ({ source, reason, detail, height })) })}\n`);
    return v.status === 'committed' ? 0 : 1;
  } finally {
    await client.close();
  }
}

import { hexToBytes } from '../bytes/index.js';
import { stakingPayload } from '../validators/index.js';
import { TX_USAGE, UsageError } from './usage.js';

/** `tx send`'s staking actions (parseArgs options). */
export const STAKING_OPTIONS = {
  transfer: { type: 'string' },
  delegate: { type: 'string' },
  unbond: { type: 'string' },
  redelegate: { type: 'string' },
  amount: { type: 'string' },
  unjail: { type: 'boolean', default: false },
  withdraw: { type: 'boolean', default: false },
} as const;

function account(text: unknown, option: string): Uint8Array {
  if (typeof text !== 'string' || !/^[0-9a-fA-F]{64}$/.test(text)) throw new UsageError(`${option} must be 64 hex digits (an account key)`, TX_USAGE);
  return hexToBytes(text.toLowerCase());
}

function amount(text: unknown): bigint {
  if (typeof text !== 'string') throw new UsageError('--amount is required', TX_USAGE);
  if (!/^\d{1,20}$/.test(text) || BigInt(text) < 1n || BigInt(text) >= 2n ** 64n) throw new UsageError(`--amount must be an integer from 1 to 2^64 − 1, got '${text}'`, TX_USAGE);
  return BigInt(text);
}

/** The staking payload the options ask for, or null when they ask for none; more than one action is a usage error. */
export function stakingPayloadFrom(values: Record<string, unknown>): Uint8Array | null {
  const actions = ['transfer', 'delegate', 'unbond', 'redelegate', 'unjail', 'withdraw'].filter((a) => values[a] !== undefined && values[a] !== false);
  if (actions.length === 0) {
    if (values.amount !== undefined) throw new UsageError('--amount goes with --transfer, --delegate, --unbond or --redelegate', TX_USAGE);
    return null;
  }
  if (actions.length > 1 || values.set !== undefined || values.payload !== undefined) throw new UsageError(`one action per transaction, got ${[...actions.map((a) => `--${a}`), ...(values.set !== undefined ? ['--set'] : []), ...(values.payload !== undefined ? ['--payload'] : [])].join(' ')}`, TX_USAGE);
  switch (actions[0]) {
    case 'transfer':
      return stakingPayload.transfer(account(values.transfer, '--transfer'), amount(values.amount));
    case 'delegate':
      return stakingPayload.delegate(account(values.delegate, '--delegate'), amount(values.amount));
    case 'unbond':
      return stakingPayload.unbond(account(values.unbond, '--unbond'), amount(values.amount));
    case 'redelegate': {
      const [from, to, more] = String(values.redelegate).split(',');
      if (more !== undefined || to === undefined) throw new UsageError('--redelegate must be FROM,TO (two validators)', TX_USAGE);
      return stakingPayload.redelegate(account(from, '--redelegate FROM'), account(to, '--redelegate TO'), amount(values.amount));
    }
    case 'unjail':
      return stakingPayload.unjail();
    default:
      return stakingPayload.withdraw();
  }
}

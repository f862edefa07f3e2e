import { describe, it } from 'vitest';
import { MemoryNetwork } from '../../src/net/index.js';
import { DEFAULT_CONSENSUS, nodeEd25519Signer, SwarmNode } from '../../src/node/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { expectRejection } from '../_support/refusals.js';

const seeds = [1, 2, 3, 4].map((b) => new Uint8Array(32).fill(b));
const genesis = {
  chainId: 'args',
  genesisTime: '',
  consensus: { ...DEFAULT_CONSENSUS },
  validators: seeds.map((s, i) => ({ name: `v${i}`, consensusKey: nodeEd25519Signer(s).publicKey, networkKey: new Uint8Array(32).fill(9 + i), p2p: { host: '127.0.0.1', port: 1 } })),
};

describe('SwarmNode.start argument errors', () => {
  it('names the function and the argument, before opening anything', async () => {
    const base = () => ({ genesis, consensusSeed: seeds[0], storage: new MemoryStorage(), transport: new MemoryNetwork({ size: 4 }).transport(0) });
    const rows: [Record<string, unknown>, 'type' | 'range', string, string?][] = [
      [{ genesis: 'g' }, 'type', 'options.genesis'],
      [{ genesis: { ...genesis, validators: 1 } }, 'type', 'options.genesis.validators'],
      [{ consensusSeed: new Uint8Array(31) }, 'range', 'options.consensusSeed', 'must be 32 bytes'],
      [{ consensusSeed: new Uint8Array(32).fill(7) }, 'range', 'options.consensusSeed', 'must be the seed of a validator of genesis args'],
      [{ storage: {} }, 'type', 'options.storage.write'],
      [{ transport: { send() {} } }, 'type', 'options.transport.peers'],
      [{ tickInterval: 0 }, 'range', 'options.tickInterval'],
      [{ forwardDelay: -1 }, 'range', 'options.forwardDelay'],
      [{ turbo: true }, 'type', 'options.turbo', 'is not an option'],
    ];
    for (const [patch, kind, argument, says] of rows) {
      await expectRejection(() => SwarmNode.start({ ...base(), ...patch } as never), kind, 'SwarmNode.start', argument, says);
    }
  });
});

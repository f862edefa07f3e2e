// The load generator of `swarmguard bench cluster`, a process of its own so its CPU is neither
// the nodes' nor the bench's: it signs transactions from many accounts ahead of the timing, then
// offers them open loop to a node at the rate it is told, follows a sample to their commit proofs
// and checks some of those proofs against the genesis validators. Commands arrive as JSON lines
// on stdin, answers leave as JSON lines on stdout (protocol.ts).
import { createInterface } from 'node:readline';
import { hexToBytes } from '../../bytes/index.js';
import { decodeCommitProof, verifyCommitProof } from '../../consensus/index.js';
import { nodeSha256, parseGenesis } from '../../node/index.js';
import { OpenLoop, type ProofCheck } from './openLoop.js';
import type { GeneratorCommand, GeneratorConfig, GeneratorReply } from './protocol.js';
import { SignedLoad } from './signedLoad.js';

const config = JSON.parse(process.argv[2] ?? '{}') as GeneratorConfig;
const load = new SignedLoad(config.chainId, config.senders, config.keep);
let running: OpenLoop | null = null;

function reply(r: GeneratorReply): void {
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

/** Checks the proof a node returned for `tx` against genesis's validators (never the node's word). */
function proofChecker(genesisJson: Record<string, unknown>): ProofCheck {
  const genesis = parseGenesis(genesisJson);
  const set = { chainId: genesis.chainId, validators: genesis.validators.map((v) => v.consensusKey) };
  return (tx, answer) => {
    try {
      return verifyCommitProof(decodeCommitProof(hexToBytes(answer.proof)), tx, set, { hash: nodeSha256 }).ok;
    } catch {
      return false;
    }
  };
}

async function handle(c: GeneratorCommand): Promise<void> {
  switch (c.type) {
    case 'prepare': {
      const t0 = performance.now();
      const signed = load.prepare(c.count);
      return reply({ type: 'prepared', signed, seconds: (performance.now() - t0) / 1000 });
    }
    case 'reset':
      load.reset();
      return reply({ type: 'reset' });
    case 'load': {
      const { type: _, ...options } = c;
      running = new OpenLoop(load, options, proofChecker(c.genesis));
      const report = await running.run();
      running = null;
      return reply({ type: 'loaded', ...report });
    }
    case 'stop':
      running?.stop();
      return;
    case 'exit':
      process.exit(0);
  }
}

// `stop` must reach a load in progress, so commands are not queued behind it; the bench sends
// one command at a time otherwise.
createInterface({ input: process.stdin }).on('line', (line) => {
  handle(JSON.parse(line) as GeneratorCommand).catch((err: unknown) => reply({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
process.stdin.once('end', () => process.exit(0));

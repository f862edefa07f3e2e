#!/usr/bin/env node
// Writes the homes of a validator set that runs in containers, one per host name given:
//   node deploy/homes.mjs DIR HOST0,HOST1,HOST2,HOST3        (from the repository, after `npm run build`)
// `swarmguard testnet --no-start` makes the keys and the shared genesis; then every validator is
// set to listen on all interfaces of its container, P2P on 26656 and RPC on 26657 (the ports the
// Dockerfile exposes), and genesis names validator i at HOSTi:26656. Homes already in DIR keep
// their keys.
//   Compose:    node deploy/homes.mjs deploy/testnet validator0,validator1,validator2,validator3
//   Kubernetes: node deploy/homes.mjs deploy/testnet swarmguard-0.swarmguard,swarmguard-1.swarmguard,…
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const P2P_PORT = 26656;
const RPC_PORT = 26657;

const [dir, list, ...extra] = process.argv.slice(2);
if (!dir || !list || extra.length > 0) {
  process.stderr.write('usage: node deploy/homes.mjs DIR HOST0,HOST1,… (one host name per validator, at least 4)\n');
  process.exit(2);
}
const hosts = list.split(',');
const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const testnet = spawnSync(process.execPath, [cli, 'testnet', '--nodes', String(hosts.length), '--dir', dir, '--hosts', list, '--no-start'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (testnet.status !== 0) process.exit(testnet.status ?? 1);

const homes = hosts.map((_, i) => join(dir, `node${i}`));
const genesis = JSON.parse(readFileSync(join(homes[0], 'genesis.json'), 'utf8'));
genesis.validators.forEach((validator, i) => (validator.p2p = `${hosts[i]}:${P2P_PORT}`));
for (const home of homes) {
  writeFileSync(join(home, 'genesis.json'), `${JSON.stringify(genesis, null, 2)}\n`);
  const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'));
  const listen = { p2p: `0.0.0.0:${P2P_PORT}`, rpc: `0.0.0.0:${RPC_PORT}`, peers: {} };
  writeFileSync(join(home, 'config.json'), `${JSON.stringify({ ...config, ...listen }, null, 2)}\n`);
}
process.stdout.write(`${homes.map((home, i) => `${home}  p2p ${hosts[i]}:${P2P_PORT}, listens on 0.0.0.0:${P2P_PORT} and 0.0.0.0:${RPC_PORT}`).join('\n')}\n`);

import { nodeSha256 } from '../../src/node/index.js';
import { ed25519 } from '../../src/sig/index.js';
import { kvSet } from '../../src/sim/index.js';
import { signTransaction } from '../../src/tx/index.js';

/** The chain of every test network. */
export const TEST_CHAIN = 'test-chain';

const enc = new TextEncoder();
const keys = new Map<string, { secretKey: Uint8Array; publicKey: Uint8Array }>();

/** The deterministic key pair of the test account `client`. */
export function account(client: string): { secretKey: Uint8Array; publicKey: Uint8Array } {
  let pair = keys.get(client);
  if (!pair) {
    pair = ed25519.generateKeyPair(nodeSha256(enc.encode(`test/account/${client}`)));
    keys.set(client, pair);
  }
  return pair;
}

/** The signed transaction of account `client` with nonce `nonce`, setting `k<nonce>` to `v<nonce>`. */
export function request(client: string, nonce: number, key = `k${nonce}`, value = `v${nonce}`, chainId = TEST_CHAIN): Uint8Array {
  return signTransaction({ chainId, nonce, payload: kvSet(key, value) }, account(client)).bytes;
}

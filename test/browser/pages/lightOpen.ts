// A light-client page as an app writes it, bundled with code splitting by
// test/browser/chunks.test.ts, which watches which WASM builds opening the client fetches.
import { LightClient } from 'swarmguard/light';
import { MemoryStorage } from 'swarmguard/storage';

/** Opens a light client on a fresh store, trusting a set of four validators of `scheme`; resolves with its height. */
export async function opens(scheme: 'ed25519' | 'ed25519+mldsa65'): Promise<number> {
  // Opening from a trusted set asks no source anything: the address only has to be well formed.
  const keyBytes = scheme === 'ed25519' ? 32 : 32 + 1952;
  const validators = [1, 2, 3, 4].map((i) => new Uint8Array(keyBytes).fill(i));
  const client = await LightClient.open({ validatorSet: { chainId: `page-${scheme}`, validators, signatures: scheme }, sources: ['http://127.0.0.1:9'], storage: new MemoryStorage() });
  const height = client.height;
  await client.close();
  return height;
}

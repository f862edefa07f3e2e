// A page that only signs, as an app writes it: bundled with code splitting by
// test/browser/chunks.test.ts, which watches which builds `init()` fetches.
import { ed25519, init } from 'swarmguard/sig';

export async function signs() {
  await init();
  const { secretKey, publicKey } = ed25519.generateKeyPair(new Uint8Array(32).fill(7));
  return ed25519.verify(ed25519.sign('page', secretKey), 'page', publicKey);
}

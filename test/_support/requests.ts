import { encodeRequest } from '../../src/consensus/index.js';
import { kvSet } from '../../src/sim/index.js';

const enc = new TextEncoder();

/** An encoded client request setting `k<seq>` to `v<seq>`. */
export function request(client: string, seq: number, key = `k${seq}`, value = `v${seq}`): Uint8Array {
  return encodeRequest({ clientId: enc.encode(client), seq, payload: kvSet(key, value) });
}

// Runs in Chromium (bundled by test/_support/browser.ts): ML-DSA through the package as an app
// imports it — the Wycheproof verify subsets, and keys and deterministic signatures against
// @noble/post-quantum on seeded inputs — on the backend `init` installs (detected, or forced).
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { bytesToHex, hexToBytes, init, mldsa44, mldsa65, mldsa87 } from 'swarmguard';
import { rng } from './rng.js';

type Backend = 'scalar' | 'detected';
interface Case { tcId: number; comment: string; msg: string; ctx?: string; sig: string; result: 'valid' | 'invalid' }
interface VerifyFile { testGroups: { publicKey: string; tests: Case[] }[] }

const SETS = [
  { api: mldsa44, noble: ml_dsa44, file: 'wycheproof_mldsa_44_verify_subset.json' },
  { api: mldsa65, noble: ml_dsa65, file: 'wycheproof_mldsa_65_verify_subset.json' },
  { api: mldsa87, noble: ml_dsa87, file: 'wycheproof_mldsa_87_verify_subset.json' },
];

/** Wycheproof's verdict on every case (a context over 255 bytes must throw), then seeded agreement with noble. */
export async function mldsaChecks(backend: Backend, seed: number): Promise<{ backend: string; checked: number; wrong: string[] }> {
  const got = (await init(backend === 'detected' ? undefined : { backend })).backend;
  const wrong: string[] = [];
  let checked = 0;
  const random = rng(seed);
  for (const { api, noble, file } of SETS) {
    const res = await fetch(`/vectors/mldsa/${file}`);
    const data = (await res.json()) as VerifyFile;
    for (const group of data.testGroups) {
      for (const t of group.tests) {
        checked++;
        const ctx = t.ctx === undefined ? undefined : hexToBytes(t.ctx);
        let ok: boolean;
        try {
          ok = api.verify(hexToBytes(t.sig), hexToBytes(t.msg), hexToBytes(group.publicKey), ctx ? { context: ctx } : undefined);
        } catch (err) {
          ok = false;
          if (!(ctx && ctx.length > 255 && (err as { code?: string }).code === 'ERR_OUT_OF_RANGE')) wrong.push(`${api.name} ${t.tcId}: threw ${String(err)}`);
        }
        if (ok !== (t.result === 'valid')) wrong.push(`${api.name} ${t.tcId} ${t.comment}`);
      }
    }
    for (let round = 0; round < 3; round++) {
      checked++;
      const xi = random.bytes(32);
      const message = random.bytes(random.int(300));
      const context = random.bytes(random.int(20));
      const ours = api.generateKeyPair(xi);
      const theirs = noble.keygen(xi);
      const sig = api.sign(message, ours.secretKey, { context, deterministic: true });
      if (bytesToHex(ours.publicKey) !== bytesToHex(theirs.publicKey) || bytesToHex(sig) !== bytesToHex(noble.sign(message, theirs.secretKey, { context, extraEntropy: false }))) {
        wrong.push(`${api.name} differs from noble on seeded round ${round}`);
      }
      if (!noble.verify(api.sign(message, ours.secretKey, { context }), message, theirs.publicKey, { context })) wrong.push(`${api.name} hedged round ${round}`);
    }
  }
  return { backend: got, checked, wrong };
}

import { afterEach, onTestFailed } from 'vitest';

/**
 * Seeded PRNG for randomized tests. A randomized test that fails prints its seed (only then, so
 * a green run stays quiet); set `SWARMGUARD_SEED` to reproduce it.
 */
export function testSeed(label: string, fixed?: number): number {
  const fromEnv = process.env.SWARMGUARD_SEED;
  // `fixed`: a statistical test, which would fail a fair share of fresh seeds by design (its p).
  const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) >>> 0 : fixed !== undefined ? fixed : (Math.random() * 2 ** 32) >>> 0;
  const line = `[seed] ${label}: SWARMGUARD_SEED=${seed}`;
  try {
    // Inside a test: print when this test fails.
    onTestFailed(() => console.log(line));
  } catch {
    // At collection (a describe or the module): print when any test of that scope fails.
    afterEach((context) => {
      if (context.task.result?.state === 'fail') console.log(line);
    });
  }
  return seed;
}

/** sfc32-style generator: small, fast and good enough for test inputs. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 2 ** 32) * n);
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
}

import { ed25519 as noble } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import type { TestKernels } from '../../build/testing/kernels.js';
import type { WasmInstance } from '../../src/wasm/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { instantiateTestBuild } from '../_support/testBuild.js';

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const Point = noble.Point;

function toLE(v: bigint, n = 32): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
function fromLE(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

type Primitive = 'ed25519FeMul' | 'ed25519FeInvert' | 'ed25519ScReduce64' | 'ed25519ScMulAdd' | 'ed25519ScSumProducts' | 'ed25519ScHalfSize' | 'ed25519PointAdd' | 'ed25519ScalarMultBase' | 'ed25519DoubleScalarMult' | 'ed25519PointDecode';

/** Calls a byte-level kernel of the test build: inputs are copied in, `outLen` bytes come back with the return value. */
function call(inst: WasmInstance<TestKernels>, name: Primitive, outLen: number, ...inputs: (Uint8Array | number)[]): { out: Uint8Array; ret: number } {
  return inst.scoped(() => {
    const out = inst.alloc(Math.max(outLen, 1));
    const args = inputs.map((x) => (typeof x === 'number' ? x : inst.put(x)));
    const kernel = inst.kernels[name] as (...args: number[]) => number | void;
    const ret = kernel(out, ...args) ?? 0;
    return { out: inst.read(out, outLen), ret };
  });
}

for (const backend of ['scalar', 'simd'] as const) {
  describe(`edwards25519 arithmetic in WASM vs BigInt and @noble/curves (${backend})`, () => {
    const inst = instantiateTestBuild(backend);

    it('field: multiplication and inversion mod 2^255 - 19, including unreduced inputs up to 2^255 - 1', () => {
      const rng = new Rng(testSeed(`field ${backend}`));
      const edges = [0n, 1n, P - 1n, P, P + 1n, 2n ** 255n - 1n, 2n ** 254n, 19n];
      for (let i = 0; i < 3000; i++) {
        const a = i < edges.length ? edges[i] : fromLE(rng.bytes(32)) & (2n ** 255n - 1n);
        const b = i < edges.length ? edges[(i + 3) % edges.length] : fromLE(rng.bytes(32)) & (2n ** 255n - 1n);
        expect(fromLE(call(inst, 'ed25519FeMul', 32, toLE(a), toLE(b)).out)).toBe((a * b) % P);
        if (i % 10 === 0 && a % P !== 0n) expect((fromLE(call(inst, 'ed25519FeInvert', 32, toLE(a)).out) * a) % P).toBe(1n);
      }
      expect(fromLE(call(inst, 'ed25519FeInvert', 32, toLE(0n)).out)).toBe(0n);
    });

    it('scalars: reduction of 512-bit values, multiply-add and the canonical check mod L', () => {
      const rng = new Rng(testSeed(`scalar ${backend}`));
      const max = 2n ** 256n - 1n;
      for (let i = 0; i < 3000; i++) {
        const wide = i === 0 ? 2n ** 512n - 1n : i === 1 ? L : fromLE(rng.bytes(64));
        expect(fromLE(call(inst, 'ed25519ScReduce64', 32, toLE(wide, 64)).out)).toBe(wide % L);
        const [a, b, c] = i === 2 ? [max, max, max] : [fromLE(rng.bytes(32)), fromLE(rng.bytes(32)), fromLE(rng.bytes(32))];
        expect(fromLE(call(inst, 'ed25519ScMulAdd', 32, toLE(a), toLE(b), toLE(c)).out)).toBe((a * b + c) % L);
      }
      for (const s of [0n, L - 1n, L, L + 1n, 2n ** 253n, max]) {
        expect(inst.scoped(() => inst.kernels.ed25519ScIsCanonical(inst.put(toLE(s))))).toBe(s < L ? 1 : 0);
      }
    });

    it('scalars: a sum of up to 4,096 products of 128-bit by 256-bit values, reduced once (the batch sum of z_i S_i)', () => {
      const rng = new Rng(testSeed(`product sum ${backend}`));
      for (const [n, extreme] of [[0, false], [1, true], [64, false], [4096, true], [4096, false]] as const) {
        const zs = new Uint8Array(32 * n);
        const ss = new Uint8Array(32 * n);
        let want = 0n;
        for (let i = 0; i < n; i++) {
          const z = extreme ? 2n ** 128n - 1n : fromLE(rng.bytes(16));
          const s = extreme ? 2n ** 256n - 1n : fromLE(rng.bytes(32));
          zs.set(toLE(z), 32 * i);
          ss.set(toLE(s), 32 * i);
          want += z * s;
        }
        expect(fromLE(call(inst, 'ed25519ScSumProducts', 32, zs, ss, n).out)).toBe(want % L);
      }
    });

    it('scalars: half-size decomposition c1 = t h mod L with |t| < 2^126 and c1 < 2^127', () => {
      const rng = new Rng(testSeed(`half size ${backend}`));
      const edges = [0n, 1n, 2n, 2n ** 126n, 2n ** 127n - 1n, 2n ** 127n, 2n ** 127n + 1n, 2n ** 252n, L - 2n, L - 1n, (L - 1n) / 2n];
      for (let i = 0; i < 2000; i++) {
        const h = i < edges.length ? edges[i] : fromLE(rng.bytes(32)) % L;
        const { out, ret } = call(inst, 'ed25519ScHalfSize', 64, toLE(h));
        const tAbs = fromLE(out.subarray(0, 32));
        const c1 = fromLE(out.subarray(32));
        const t = ret === 1 ? -tAbs : tAbs;
        expect(tAbs > 0n && tAbs < 2n ** 126n).toBe(true);
        expect(c1 < 2n ** 127n).toBe(true);
        expect((((t * h - c1) % L) + L) % L).toBe(0n);
      }
    });

    it('points: addition, constant-time base multiplication and the variable-time double multiplication', () => {
      const rng = new Rng(testSeed(`points ${backend}`));
      for (let i = 0; i < 150; i++) {
        const p = Point.BASE.multiply((fromLE(rng.bytes(32)) % (L - 1n)) + 1n);
        const q = Point.BASE.multiply((fromLE(rng.bytes(32)) % (L - 1n)) + 1n);
        expect(call(inst, 'ed25519PointAdd', 32, p.toBytes(), q.toBytes()).out).toEqual(p.add(q).toBytes());
        // Base multiplication accepts any scalar below 2^255, not only reduced ones.
        const s = fromLE(rng.bytes(32)) & (2n ** 255n - 1n);
        const want = s % L === 0n ? Point.ZERO.toBytes() : Point.BASE.multiply(s % L).toBytes();
        expect(call(inst, 'ed25519ScalarMultBase', 32, toLE(s)).out).toEqual(want);
        const a = fromLE(rng.bytes(32)) % L;
        const b = fromLE(rng.bytes(32)) % L;
        const expected = p.multiplyUnsafe(a).add(Point.BASE.multiplyUnsafe(b)).toBytes();
        expect(call(inst, 'ed25519DoubleScalarMult', 32, toLE(a), p.toBytes(), toLE(b)).out).toEqual(expected);
      }
    });

    it('decoding: strict (RFC 8032) and ZIP-215 rules on canonical, non-canonical, small-order and off-curve encodings', () => {
      const decode = (hex: string, strict: number) => call(inst, 'ed25519PointDecode', 32, Buffer.from(hex, 'hex'), strict);
      // y = 1 encoded as y + p, and with the sign bit on x = 0 ("-0"): ZIP-215 accepts both, strict rejects both.
      for (const hex of ['eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', '0100000000000000000000000000000000000000000000000000000000000080']) {
        expect(decode(hex, 1).ret).toBe(0);
        const { out, ret } = decode(hex, 0);
        expect(ret).toBe(3); // decoded, small order
        expect(Buffer.from(out).toString('hex')).toBe('0100000000000000000000000000000000000000000000000000000000000000');
      }
      // An order-8 point decodes under both rules and is flagged small order.
      expect(decode('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 1).ret).toBe(3);
      // Not on the curve (x^2 would be a non-square).
      expect(decode('0200000000000000000000000000000000000000000000000000000000000000', 0).ret).toBe(0);
      const rng = new Rng(testSeed(`decode ${backend}`));
      for (let i = 0; i < 400; i++) {
        const bytes = rng.bytes(32);
        let want: Uint8Array | undefined;
        try {
          want = Point.fromBytes(bytes).toBytes();
        } catch {
          want = undefined;
        }
        const { out, ret } = decode(Buffer.from(bytes).toString('hex'), 1);
        expect(ret !== 0).toBe(want !== undefined);
        if (want) expect(out).toEqual(want);
      }
    });
  });
}

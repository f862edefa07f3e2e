// The number-theoretic transform over Z_q[X]/(X^256 + 1) (FIPS 204, algorithms 41-42) with
// coefficients in Montgomery form (R = 2^32), in place on 256 i32 at `a`. Under SIMD every layer
// runs on i32x4: those whose butterflies are four or more apart directly, the last two (first two
// of the inverse) on lanes regrouped by shuffles. Both orders give the same integers: each lane computes what the scalar
// loop computes.
import { Q } from "./params";

const QINV: i32 = 58728449; // q^-1 mod 2^32
/** mont^2 / 256 mod q: scales the inverse transform's output and leaves it in normal form. */
const F: i32 = 41978;

// ZETAS[i] = 2^32 * 1753^brv8(i) mod q, centered (1753: the 512th root of unity of FIPS 204).
const ZETAS = memory.data<i32>([
  0, 25847, -2608894, -518909, 237124, -777960, -876248, 466468, 1826347, 2353451, -359251, -2091905, 3119733, -2884855, 3111497, 2680103,
  2725464, 1024112, -1079900, 3585928, -549488, -1119584, 2619752, -2108549, -2118186, -3859737, -1399561, -3277672, 1757237, -19422, 4010497, 280005,
  2706023, 95776, 3077325, 3530437, -1661693, -3592148, -2537516, 3915439, -3861115, -3043716, 3574422, -2867647, 3539968, -300467, 2348700, -539299,
  -1699267, -1643818, 3505694, -3821735, 3507263, -2140649, -1600420, 3699596, 811944, 531354, 954230, 3881043, 3900724, -2556880, 2071892, -2797779,
  -3930395, -1528703, -3677745, -3041255, -1452451, 3475950, 2176455, -1585221, -1257611, 1939314, -4083598, -1000202, -3190144, -3157330, -3632928, 126922,
  3412210, -983419, 2147896, 2715295, -2967645, -3693493, -411027, -2477047, -671102, -1228525, -22981, -1308169, -381987, 1349076, 1852771, -1430430,
  -3343383, 264944, 508951, 3097992, 44288, -1100098, 904516, 3958618, -3724342, -8578, 1653064, -3249728, 2389356, -210977, 759969, -1316856,
  189548, -3553272, 3159746, -1851402, -2409325, -177440, 1315589, 1341330, 1285669, -1584928, -812732, -1439742, -3019102, -3881060, -3628969, 3839961,
  2091667, 3407706, 2316500, 3817976, -3342478, 2244091, -2446433, -3562462, 266997, 2434439, -1235728, 3513181, -3520352, -3759364, -1197226, -3193378,
  900702, 1859098, 909542, 819034, 495491, -1613174, -43260, -522500, -655327, -3122442, 2031748, 3207046, -3556995, -525098, -768622, -3595838,
  342297, 286988, -2437823, 4108315, 3437287, -3342277, 1735879, 203044, 2842341, 2691481, -2590150, 1265009, 4055324, 1247620, 2486353, 1595974,
  -3767016, 1250494, 2635921, -3548272, -2994039, 1869119, 1903435, -1050970, -1333058, 1237275, -3318210, -1430225, -451100, 1312455, 3306115, -1962642,
  -1279661, 1917081, -2546312, -1374803, 1500165, 777191, 2235880, 3406031, -542412, -2831860, -1671176, -1846953, -2584293, -3724270, 594136, -3776993,
  -2013608, 2432395, 2454455, -164721, 1957272, 3369112, 185531, -1207385, -3183426, 162844, 1616392, 3014001, 810149, 1652634, -3694233, -1799107,
  -3038916, 3523897, 3866901, 269760, 2213111, -975884, 1717735, 472078, -426683, 1723600, -1803090, 1910376, -1667432, -1104333, -260646, -3833893,
  -2939036, -2235985, -420899, -2286327, 183443, -976891, 1612842, -3545687, -554416, 3919660, -48306, -1362209, 3937738, 1400424, -846154, 1976782]);

/** a * 2^-32 mod q, |result| < q for |a| < 2^31 q. */
@inline export function montReduce(a: i64): i32 {
  const t = <i32>a * QINV;
  return <i32>((a - <i64>t * <i64>Q) >> 32);
}

@inline function zeta(k: usize): i32 {
  return load<i32>(ZETAS + (k << 2));
}

/** Four Montgomery products a[i] * b[i] * 2^-32 at once. */
@inline function montMul4(a: v128, b: v128): v128 {
  const t = i32x4.mul(i32x4.mul(a, b), i32x4.splat(QINV));
  const lo = i64x2.sub(i64x2.extmul_low_i32x4_s(a, b), i64x2.extmul_low_i32x4_s(t, i32x4.splat(Q)));
  const hi = i64x2.sub(i64x2.extmul_high_i32x4_s(a, b), i64x2.extmul_high_i32x4_s(t, i32x4.splat(Q)));
  return i8x16.shuffle(lo, hi, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
}

export function ntt(a: usize): void {
  let k: usize = 0;
  for (let len: usize = 128; len > 0; len >>= 1) {
    if (ASC_FEATURE_SIMD && len == 2) {
      lastLayers(a);
      return;
    }
    for (let start: usize = 0; start < 256; start += len << 1) {
      const z = zeta(++k);
      if (ASC_FEATURE_SIMD && len >= 4) {
        const zv = i32x4.splat(z);
        for (let j = start; j < start + len; j += 4) {
          const p = a + (j << 2);
          const t = montMul4(zv, v128.load(p + (len << 2)));
          const x = v128.load(p);
          v128.store(p + (len << 2), i32x4.sub(x, t));
          v128.store(p, i32x4.add(x, t));
        }
      } else {
        for (let j = start; j < start + len; j++) {
          const p = a + (j << 2);
          const t = montReduce(<i64>z * <i64>load<i32>(p + (len << 2)));
          const x = load<i32>(p);
          store<i32>(p + (len << 2), x - t);
          store<i32>(p, x + t);
        }
      }
    }
  }
}

/**
 * The forward transform's layers with butterflies 2 and 1 apart, eight coefficients at a time:
 * lanes regrouped by shuffles so each layer is one i32x4 butterfly (zetas 64 + 2b.. and 128 + 4b..).
 */
function lastLayers(a: usize): void {
  for (let b: usize = 0; b < 32; b++) {
    const p = a + (b << 5);
    const lo = v128.load(p);
    const hi = v128.load(p + 16);
    // len 2: (a0, a2), (a1, a3) with zeta[64 + 2b]; (a4, a6), (a5, a7) with zeta[65 + 2b].
    const x = i32x4.shuffle(lo, hi, 0, 1, 4, 5);
    const y = i32x4.shuffle(lo, hi, 2, 3, 6, 7);
    const z2 = v128.load64_zero(ZETAS + ((64 + (b << 1)) << 2));
    const t = montMul4(i32x4.shuffle(z2, z2, 0, 0, 1, 1), y);
    const x2 = i32x4.add(x, t);
    const y2 = i32x4.sub(x, t);
    // len 1: (a0, a1), (a2, a3), ... with zeta[128 + 4b + m].
    const u = i32x4.shuffle(x2, y2, 0, 4, 2, 6);
    const v = i32x4.shuffle(x2, y2, 1, 5, 3, 7);
    const t1 = montMul4(v128.load(ZETAS + ((128 + (b << 2)) << 2)), v);
    const u2 = i32x4.add(u, t1);
    const v2 = i32x4.sub(u, t1);
    v128.store(p, i32x4.shuffle(u2, v2, 0, 4, 1, 5));
    v128.store(p + 16, i32x4.shuffle(u2, v2, 2, 6, 3, 7));
  }
}

/** The inverse transform's first two layers (butterflies 1 then 2 apart), the mirror of lastLayers. */
function firstInverseLayers(a: usize): void {
  const zero = i32x4.splat(0);
  for (let b: usize = 0; b < 32; b++) {
    const p = a + (b << 5);
    const lo = v128.load(p);
    const hi = v128.load(p + 16);
    // len 1: pair m = 4b + i uses -zeta[255 - m].
    const u = i32x4.shuffle(lo, hi, 0, 2, 4, 6);
    const v = i32x4.shuffle(lo, hi, 1, 3, 5, 7);
    const zs = v128.load(ZETAS + ((252 - (b << 2)) << 2));
    const z1 = i32x4.sub(zero, i32x4.shuffle(zs, zs, 3, 2, 1, 0));
    const u2 = i32x4.add(u, v);
    const v2 = montMul4(z1, i32x4.sub(u, v));
    // len 2: group g = 2b + i uses -zeta[127 - g].
    const x = i32x4.shuffle(u2, v2, 0, 4, 2, 6);
    const y = i32x4.shuffle(u2, v2, 1, 5, 3, 7);
    const zp = v128.load64_zero(ZETAS + ((126 - (b << 1)) << 2));
    const z2 = i32x4.sub(zero, i32x4.shuffle(zp, zp, 1, 1, 0, 0));
    const x2 = i32x4.add(x, y);
    const y2 = montMul4(z2, i32x4.sub(x, y));
    v128.store(p, i32x4.shuffle(x2, y2, 0, 1, 4, 5));
    v128.store(p + 16, i32x4.shuffle(x2, y2, 2, 3, 6, 7));
  }
}

/** The inverse transform, output multiplied by 2^32 (so Montgomery products come out normal). */
export function invnttTomont(a: usize): void {
  let k: usize = 256;
  let len: usize = 1;
  if (ASC_FEATURE_SIMD) {
    firstInverseLayers(a);
    k = 64;
    len = 4;
  }
  for (; len < 256; len <<= 1) {
    for (let start: usize = 0; start < 256; start += len << 1) {
      const z = -zeta(--k);
      if (ASC_FEATURE_SIMD && len >= 4) {
        const zv = i32x4.splat(z);
        for (let j = start; j < start + len; j += 4) {
          const p = a + (j << 2);
          const x = v128.load(p);
          const y = v128.load(p + (len << 2));
          v128.store(p, i32x4.add(x, y));
          v128.store(p + (len << 2), montMul4(zv, i32x4.sub(x, y)));
        }
      } else {
        for (let j = start; j < start + len; j++) {
          const p = a + (j << 2);
          const x = load<i32>(p);
          const y = load<i32>(p + (len << 2));
          store<i32>(p, x + y);
          store<i32>(p + (len << 2), montReduce(<i64>z * <i64>(x - y)));
        }
      }
    }
  }
  if (ASC_FEATURE_SIMD) {
    const fv = i32x4.splat(F);
    for (let j: usize = 0; j < 1024; j += 16) v128.store(a + j, montMul4(fv, v128.load(a + j)));
  } else {
    for (let j: usize = 0; j < 1024; j += 4) store<i32>(a + j, montReduce(<i64>F * <i64>load<i32>(a + j)));
  }
}

/** c[i] = a[i] * b[i] * 2^-32. */
export function pointwise(c: usize, a: usize, b: usize): void {
  if (ASC_FEATURE_SIMD) {
    for (let j: usize = 0; j < 1024; j += 16) v128.store(c + j, montMul4(v128.load(a + j), v128.load(b + j)));
  } else {
    for (let j: usize = 0; j < 1024; j += 4) store<i32>(c + j, montReduce(<i64>load<i32>(a + j) * <i64>load<i32>(b + j)));
  }
}

/** w = sum over j < n of a_j * v_j * 2^-32 (a_j, v_j: consecutive polynomials). */
export function pointwiseAcc(w: usize, a: usize, v: usize, n: i32): void {
  pointwise(w, a, v);
  for (let j = 1; j < n; j++) {
    const aj = a + (<usize>j << 10);
    const vj = v + (<usize>j << 10);
    if (ASC_FEATURE_SIMD) {
      for (let i: usize = 0; i < 1024; i += 16) v128.store(w + i, i32x4.add(v128.load(w + i), montMul4(v128.load(aj + i), v128.load(vj + i))));
    } else {
      for (let i: usize = 0; i < 1024; i += 4) store<i32>(w + i, load<i32>(w + i) + montReduce(<i64>load<i32>(aj + i) * <i64>load<i32>(vj + i)));
    }
  }
}

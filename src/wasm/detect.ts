// Hand-assembled probe modules: each holds one function using one feature, so
// `WebAssembly.validate` answers whether this engine accepts that feature.
const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00];

/** `i32.const 0; i8x16.splat; drop` */
const simdProbe = new Uint8Array([...header, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x1a, 0x0b]);

/** two `i8x16.splat` then `i8x16.relaxed_swizzle; drop` */
const relaxedSimdProbe = new Uint8Array([
  ...header, 0x0a, 0x10, 0x01, 0x0e, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x80, 0x02, 0x1a, 0x0b,
]);

/** a shared memory and `i32.atomic.load; drop` */
const threadsProbe = new Uint8Array([
  ...header, 0x05, 0x04, 0x01, 0x03, 0x01, 0x01, 0x0a, 0x0b, 0x01, 0x09, 0x00, 0x41, 0x00, 0xfe, 0x10, 0x02, 0x00, 0x1a, 0x0b,
]);

export interface HostFeatures {
  /** 128-bit SIMD (the `simd` backend can run). */
  simd: boolean;
  /** Relaxed SIMD (detected and reported; no kernel depends on it). */
  relaxedSimd: boolean;
  /** WASM atomics with shared memory and SharedArrayBuffer (shared buffers for the worker pool). */
  threads: boolean;
}

function validate(bytes: Uint8Array): boolean {
  try {
    return WebAssembly.validate(bytes as BufferSource);
  } catch {
    return false;
  }
}

let cached: HostFeatures | undefined;

export function detectFeatures(): HostFeatures {
  cached ??= {
    simd: validate(simdProbe),
    relaxedSimd: validate(relaxedSimdProbe),
    threads: typeof SharedArrayBuffer === 'function' && validate(threadsProbe),
  };
  return cached;
}

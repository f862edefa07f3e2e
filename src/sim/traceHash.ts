/**
 * A run's fingerprint: every event's kind and time folded into 64 bits (FNV-style mixing). Two
 * runs of one seed give the same hash; a change of behaviour almost surely changes it.
 */
export class TraceHash {
  private a = 0x811c9dc5;
  private b = 0x01000193;

  mix(...values: number[]): void {
    let { a, b } = this;
    for (const v of values) {
      const x = Math.floor(v * 1000) >>> 0;
      a = Math.imul(a ^ x, 0x01000193) >>> 0;
      b = Math.imul(b ^ (x + a), 0x85ebca6b) >>> 0;
      b ^= b >>> 13;
    }
    this.a = a;
    this.b = b;
  }

  /** 16 hex digits. */
  hex(): string {
    return [this.a, this.b].map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
  }
}

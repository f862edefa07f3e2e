/**
 * Ids of transactions whose signatures this replica verified (on admission or in a proposal),
 * so a backup re-verifies only what it has not seen. Bounded: past `capacity` the oldest id is
 * forgotten (its transaction, if proposed later, is verified again — correct, only slower).
 */
export class VerifiedIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(key: string): boolean {
    return this.ids.has(key);
  }

  add(key: string): void {
    if (this.capacity === 0 || this.ids.has(key)) return;
    if (this.ids.size >= this.capacity) this.ids.delete(this.ids.values().next().value as string);
    this.ids.add(key);
  }
}

/** An id as a map key: one char per byte. */
export function idKey(id: Uint8Array): string {
  return String.fromCharCode.apply(null, id as unknown as number[]);
}

/** Min-heap of events ordered by time, then by insertion order (so ties resolve deterministically). */
export class EventQueue<T> {
  private readonly items: { time: number; order: number; value: T }[] = [];
  private order = 0;

  get size(): number {
    return this.items.length;
  }

  push(time: number, value: T): void {
    const items = this.items;
    items.push({ time, order: this.order++, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): { time: number; value: T } | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop() as (typeof items)[number];
    if (items.length) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(l, m)) m = l;
        if (r < items.length && this.less(r, m)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m], items[i]];
        i = m;
      }
    }
    return { time: top.time, value: top.value };
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a];
    const y = this.items[b];
    return x.time < y.time || (x.time === y.time && x.order < y.order);
  }
}

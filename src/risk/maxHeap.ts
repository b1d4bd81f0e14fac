/** A binary max-heap by a numeric key: the open nodes of a best-first search (serviceBranch.ts). */
export class MaxHeap<T> {
  private readonly items: { key: number; item: T }[] = []

  get size(): number {
    return this.items.length
  }

  /** The largest key, or −∞ when empty. */
  get top(): number {
    return this.items[0]?.key ?? Number.NEGATIVE_INFINITY
  }

  push(key: number, item: T): void {
    const a = this.items
    a.push({ key, item })
    let i = a.length - 1
    while (i > 0) {
      const up = (i - 1) >> 1
      if ((a[up] as { key: number }).key >= key) break
      ;[a[i], a[up]] = [a[up] as (typeof a)[number], a[i] as (typeof a)[number]]
      i = up
    }
  }

  pop(): T | undefined {
    const a = this.items
    const first = a[0]
    const last = a.pop()
    if (!first || !last) return undefined
    if (a.length > 0) {
      a[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < a.length && (a[l] as { key: number }).key > (a[m] as { key: number }).key) m = l
        if (r < a.length && (a[r] as { key: number }).key > (a[m] as { key: number }).key) m = r
        if (m === i) break
        ;[a[i], a[m]] = [a[m] as (typeof a)[number], a[i] as (typeof a)[number]]
        i = m
      }
    }
    return first.item
  }
}

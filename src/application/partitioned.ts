// Work on many items at once while keeping the order of those that touch the same things: items sharing
// any key fall into one partition (connected components over their keys), run one after another in their
// given order; partitions run concurrently, at most `concurrency` at a time. Used where one request or
// batch holds many alerts: different alerts and groups go in parallel (and the store's per-agency group
// commit merges their appends), the same alert or group never does.

/** Items grouped so that two items sharing a key are in the same group; groups and items keep input order. */
export function partition<T>(items: readonly T[], keysOf: (item: T) => readonly string[]): T[][] {
  const parent = new Map<string, string>()
  const find = (k: string): string => {
    let root = k
    while (parent.get(root) !== root) root = parent.get(root) ?? root
    for (let x = k; parent.get(x) !== root;) { // path compression
      const next = parent.get(x) ?? root
      parent.set(x, root)
      x = next
    }
    return root
  }
  const union = (a: string, b: string) => {
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent.set(rb, ra)
  }
  const keys = items.map((item, i) => {
    const ks = keysOf(item)
    const own = ks.length > 0 ? ks : [`\u0000item-${i}`]
    for (const k of own) if (!parent.has(k)) parent.set(k, k)
    for (const k of own.slice(1)) union(own[0] as string, k)
    return own[0] as string
  })
  const groups = new Map<string, T[]>()
  items.forEach((item, i) => {
    const root = find(keys[i] as string)
    const group = groups.get(root)
    if (group) group.push(item)
    else groups.set(root, [item])
  })
  return [...groups.values()]
}

/**
 * Runs `fn` for every item: items of one partition in order, partitions concurrently (at most `concurrency`).
 * Answers the results in input order; the first failure is thrown once everything started has settled.
 */
export async function runPartitioned<T, R>(items: readonly T[], keysOf: (item: T) => readonly string[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  const queue = partition(items.map((item, i) => ({ item, i })), (x) => keysOf(x.item))
  let failure: { error: unknown } | undefined
  const worker = async () => {
    for (let group = queue.shift(); group !== undefined && failure === undefined; group = queue.shift()) {
      for (const { item, i } of group) {
        if (failure !== undefined) return
        try {
          results[i] = await fn(item)
        } catch (error) {
          failure ??= { error }
          return
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker))
  if (failure !== undefined) throw failure.error
  return results
}

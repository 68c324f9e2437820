// Refused webhook deliveries are audit events, and anyone who knows a webhook URL can cause one. So per
// integration and source address, the first refusals of each minute are recorded one by one; beyond that
// they are counted, and the count is recorded with the next refusal recorded from that address
// (`suppressedBefore`), and logged at once. Nothing is hidden, but a flood cannot fill the log.

export interface RefusalDecision { record: boolean; suppressedBefore: number }

export class RefusalLimiter {
  private readonly windows = new Map<string, { start: number; recorded: number; suppressed: number }>()

  constructor(private readonly perMinute = 20, private readonly maxKeys = 10_000) {}

  /** Whether to record this refusal, and how many from the same source went unrecorded since the last one recorded. */
  take(integrationId: string, sourceAddress: string, nowMs: number): RefusalDecision {
    const key = `${integrationId}|${sourceAddress}`
    let w = this.windows.get(key)
    if (w === undefined || nowMs - w.start >= 60_000) {
      const carried = w?.suppressed ?? 0
      if (w === undefined && this.windows.size >= this.maxKeys) this.evict(nowMs)
      w = { start: nowMs, recorded: 0, suppressed: carried }
      this.windows.set(key, w)
    }
    if (w.recorded >= this.perMinute) {
      w.suppressed++
      return { record: false, suppressedBefore: w.suppressed }
    }
    w.recorded++
    const suppressedBefore = w.suppressed
    w.suppressed = 0
    return { record: true, suppressedBefore }
  }

  /** Forget windows that ended (their suppressed counts were logged when they happened). */
  private evict(nowMs: number): void {
    for (const [k, w] of this.windows) if (nowMs - w.start >= 60_000) this.windows.delete(k)
    if (this.windows.size >= this.maxKeys) this.windows.clear()
  }
}

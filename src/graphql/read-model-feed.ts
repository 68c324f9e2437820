// What GraphQL subscriptions on a read model share: find rows whose position moved past what subscribers of
// their agency last saw and publish each to the agency's topic. Woken when this process's runner applies
// the projection, and polls while anyone listens (another instance may run the projection).
import type pg from 'pg'
import type { ProjectionRunner } from '../projections/runner.js'

export interface FeedChange<T> { agencyId: string; position: number; item: T }

export interface ReadModelFeedOptions<T> {
  pool: pg.Pool
  runner: Pick<ProjectionRunner, 'onApplied'>
  /** The projection whose progress wakes the feed. */
  projection: string
  /** Per agency, the highest position already in the read model (a new subscriber starts there). */
  highWater(pool: pg.Pool, agencyIds: readonly string[]): Promise<Map<string, number>>
  /** What moved past each agency's last seen position, in position order per agency. */
  changesSince(pool: pg.Pool, seen: ReadonlyMap<string, number>): Promise<FeedChange<T>[]>
  publish(agencyId: string, item: T): void
  log: { error(obj: object, msg?: string): void }
  /** Fallback poll while there are subscribers. */
  pollMs?: number
}

export class ReadModelFeed<T> {
  /** Subscribers per agency. */
  private readonly watchers = new Map<string, number>()
  /** Highest incident `last_position` already published, per watched agency. */
  private readonly lastSeen = new Map<string, number>()
  private timer: NodeJS.Timeout | undefined
  private scanning: Promise<void> | undefined
  private rescan = false
  private closed = false
  private readonly unlisten: () => void

  constructor(private readonly options: ReadModelFeedOptions<T>) {
    this.unlisten = options.runner.onApplied((projection, agencyId) => {
      if (projection === options.projection && this.lastSeen.has(agencyId)) void this.refresh()
    })
  }

  /**
   * Counts one subscriber for each agency and resolves once the feed watches them; the first
   * subscriber of an agency starts it at the agency's current position, so only later changes are
   * sent. Returns the function that releases these subscriptions (idempotent).
   */
  async watch(agencyIds: readonly string[]): Promise<() => void> {
    const agencies = [...new Set(agencyIds)]
    for (const a of agencies) this.watchers.set(a, (this.watchers.get(a) ?? 0) + 1)
    let released = false
    const release = () => {
      if (released) return
      released = true
      for (const a of agencies) {
        const left = (this.watchers.get(a) ?? 1) - 1
        if (left > 0) this.watchers.set(a, left)
        else {
          this.watchers.delete(a)
          this.lastSeen.delete(a)
        }
      }
      if (this.watchers.size === 0) this.stopPolling()
    }
    try {
      const missing = agencies.filter((a) => !this.lastSeen.has(a))
      if (missing.length > 0) {
        for (const [agency, seen] of await this.options.highWater(this.options.pool, missing)) {
          if (this.watchers.has(agency) && !this.lastSeen.has(agency)) this.lastSeen.set(agency, seen)
        }
      }
    } catch (err) {
      release()
      throw err
    }
    this.startPolling()
    return release
  }

  async close(): Promise<void> {
    this.closed = true
    this.unlisten()
    this.stopPolling()
    await this.scanning
  }

  /**
   * Publishes what changed since the last scan; resolves when that is done. Runs now, or once more
   * after the scan in flight (never two at a time, never a wake-up lost). The runner and the poll call it.
   */
  refresh(): Promise<void> {
    if (this.closed) return Promise.resolve()
    if (this.scanning) {
      this.rescan = true
      return this.scanning
    }
    this.scanning = (async () => {
      do {
        this.rescan = false
        try {
          await this.publishChanges()
        } catch (err) {
          if (!this.closed) this.options.log.error({ err, projection: this.options.projection }, 'subscription feed scan failed; retrying on the next poll')
        }
      } while (this.rescan && !this.closed)
      this.scanning = undefined
    })()
    return this.scanning
  }

  private async publishChanges(): Promise<void> {
    if (this.lastSeen.size === 0) return
    for (const change of await this.options.changesSince(this.options.pool, new Map(this.lastSeen))) {
      const seen = this.lastSeen.get(change.agencyId)
      if (seen === undefined || change.position <= seen) continue // unwatched meanwhile, or already sent
      this.lastSeen.set(change.agencyId, change.position)
      this.options.publish(change.agencyId, change.item)
    }
  }

  private startPolling(): void {
    if (this.timer || this.closed) return
    this.timer = setInterval(() => void this.refresh(), this.options.pollMs ?? 250)
    this.timer.unref()
  }

  private stopPolling(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }
}

// The source of `incidentChanged`: finds incidents whose read-model row moved past what subscribers
// of their agency last saw, and publishes each to the agency's topic. Woken when this process's
// runner applies the 'incidents' projection, and polls while anyone listens (another instance may
// run the projection). Reads the `incidents` table; publishes through the function it is given.
import type pg from 'pg'
import type { ProjectionRunner } from '../projections/runner.js'
import { incidentHighWater, incidentsChangedSince, toIncidentDto, type IncidentDto } from '../projections/incident-queries.js'

export const incidentTopic = (agencyId: string) => `INCIDENT_CHANGED_${agencyId}`

export interface IncidentFeedOptions {
  pool: pg.Pool
  runner: Pick<ProjectionRunner, 'onApplied'>
  publish(agencyId: string, incident: IncidentDto): void
  log: { error(obj: object, msg?: string): void }
  /** Fallback poll while there are subscribers. */
  pollMs?: number
}

export class IncidentFeed {
  /** Subscribers per agency. */
  private readonly watchers = new Map<string, number>()
  /** Highest incident `last_position` already published, per watched agency. */
  private readonly lastSeen = new Map<string, number>()
  private timer: NodeJS.Timeout | undefined
  private scanning: Promise<void> | undefined
  private rescan = false
  private closed = false
  private readonly unlisten: () => void

  constructor(private readonly options: IncidentFeedOptions) {
    this.unlisten = options.runner.onApplied((projection, agencyId) => {
      if (projection === 'incidents' && this.lastSeen.has(agencyId)) void this.refresh()
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
        for (const [agency, seen] of await incidentHighWater(this.options.pool, missing)) {
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
          if (!this.closed) this.options.log.error({ err }, 'incident feed scan failed; retrying on the next poll')
        }
      } while (this.rescan && !this.closed)
      this.scanning = undefined
    })()
    return this.scanning
  }

  private async publishChanges(): Promise<void> {
    if (this.lastSeen.size === 0) return
    for (const row of await incidentsChangedSince(this.options.pool, new Map(this.lastSeen))) {
      const seen = this.lastSeen.get(row.agency_id)
      if (seen === undefined || row.last_position <= seen) continue // unwatched meanwhile, or already sent
      this.lastSeen.set(row.agency_id, row.last_position)
      this.options.publish(row.agency_id, toIncidentDto(row))
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

// Projection catch-up: write N incident events with no runner, then time a ProjectionRunner running the
// `incidents` projection from position 0 to every agency's head, and check that it applied every event.
import type pg from 'pg'
import { incidentEventTypes } from '../src/domain/incident/events.js'
import { PostgresEventStore } from '../src/eventstore/postgres-store.js'
import { incidentsProjection } from '../src/projections/incidents.js'
import { ProjectionRunner } from '../src/projections/runner.js'
import type { MinimalLogger } from '../src/projections/types.js'
import { rng, StreamPool } from './events.js'
import { nowMs, progress, round } from './report.js'

export const stderrLogger: MinimalLogger = {
  info() {},
  debug() {},
  warn(obj, msg) { progress(`warn: ${msg ?? ''} ${JSON.stringify(obj)}`) },
  error(obj, msg) {
    const err = (obj as { err?: unknown }).err
    progress(`error: ${msg ?? ''} ${err instanceof Error ? err.stack ?? err.message : JSON.stringify(obj)}`)
  },
}

export interface SeedResult {
  events: number
  appends: number
  seconds: number
  agencies: string[]
}

/**
 * `writers` concurrent writers append exactly `total` events over `agencies` agencies: each step takes a
 * stream the writer owns (a new incident or an open one) and appends its next 1–4 lifecycle events, so
 * incidents interleave and a projection batch often continues incidents opened in an earlier batch.
 */
export async function seedIncidents(pool: pg.Pool, total: number, writers: number, agencies: number, seed: number): Promise<SeedResult> {
  const store = new PostgresEventStore(pool)
  const agencyIds = Array.from({ length: agencies }, (_, i) => `bench-agency-${String(i).padStart(2, '0')}`)
  let remaining = total
  let appends = 0
  let lastReport = nowMs()
  const t0 = nowMs()
  const writer = async (w: number) => {
    const r = rng(seed + 1000 * w)
    const pools = agencyIds.map((a) => new StreamPool(a, r, 0.25, 50))
    while (remaining > 0) {
      const streams = pools[Math.floor(r() * pools.length)] as StreamPool
      const s = streams.take()
      const n = Math.min(remaining, 1 + Math.floor(r() * 4))
      remaining -= n
      try {
        const outcome = await store.append({
          agencyId: s.agencyId, streamId: s.streamId, streamType: 'incident', expectedVersion: s.version,
          recordedAt: s.recordedAt(), events: s.next(n),
        })
        if (outcome.outcome !== 'appended') throw new Error(`seed append to ${s.streamId} returned ${outcome.outcome}`)
        s.appended(n)
        appends++
      } finally {
        streams.release(s)
      }
      if (nowMs() - lastReport > 5_000) {
        lastReport = nowMs()
        progress(`seeded ${total - remaining} of ${total} events`)
      }
    }
  }
  await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)))
  return { events: total, appends, seconds: (nowMs() - t0) / 1000, agencies: agencyIds }
}

export interface CatchUpResult {
  batchSize: number
  seconds: number
  eventsPerSec: number
  /** Events the runner reports it handed to the projection. */
  applied: number
  /** Events the runner recorded in projection_failures and passed over (should be 0). */
  skipped: number
  /** Rows in incidents afterwards that sit at their stream's last version (must equal the reported incidents). */
  currentRows: number
  /** IncidentReported events in the log. */
  reported: number
  /** Incident events in the log. */
  written: number
  ok: boolean
}

/** Empty the incidents read model and its checkpoints and lease, so a trial starts from position 0. */
export async function resetIncidentsProjection(owner: pg.Pool): Promise<void> {
  await owner.query('TRUNCATE incidents')
  await owner.query(`DELETE FROM projection_checkpoints WHERE projection = 'incidents'`)
  await owner.query(`DELETE FROM projection_leases WHERE projection = 'incidents'`)
  await owner.query(`DELETE FROM projection_failures WHERE projection = 'incidents'`)
}

export async function measureCatchUp(app: pg.Pool, owner: pg.Pool, batchSize: number, owner_: string): Promise<CatchUpResult> {
  const store = new PostgresEventStore(app)
  const heads = await store.heads()
  const written = Number((await owner.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE event_type = ANY($1::text[])', [incidentEventTypes])).rows[0]?.n)
  const runner = new ProjectionRunner({ pool: app, projections: [incidentsProjection], logger: stderrLogger, batchSize, owner: owner_ })
  const t0 = nowMs()
  runner.start()
  const reached = await Promise.all([...heads].map(([agency, head]) => runner.waitFor('incidents', agency, head, 300_000)))
  const seconds = (nowMs() - t0) / 1000
  await runner.stop()
  const applied = runner.status()[0]?.applied ?? 0
  const skipped = runner.status()[0]?.skipped ?? 0
  const { rows } = await owner.query<{ current: string; reported: string }>(`SELECT
    (SELECT count(*) FROM incidents i JOIN (SELECT agency_id, stream_id, max(stream_version) AS v FROM events WHERE stream_type = 'incident' GROUP BY 1, 2) e
       ON e.agency_id = i.agency_id AND e.stream_id = 'incident-' || i.incident_id AND e.v = i.version) AS current,
    (SELECT count(*) FROM events WHERE event_type = 'IncidentReported') AS reported`)
  const currentRows = Number(rows[0]?.current)
  const reported = Number(rows[0]?.reported)
  const ok = reached.every(Boolean) && currentRows === reported && applied === written
  return { batchSize, seconds: round(seconds, 3), eventsPerSec: round(applied / seconds), applied, skipped, currentRows, reported, written, ok }
}

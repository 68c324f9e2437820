// Write throughput: the ceiling (a bare INSERT of a comparable row, autocommit) and PostgresEventStore.append
// with one event per call and with 100 events per call.
import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import type { PostgresEventStore } from '../src/eventstore/postgres-store.js'
import { rng, StreamPool } from './events.js'
import { closedLoop, latencySummary, round, type ClosedLoopResult } from './report.js'

export interface PhaseTiming {
  warmupMs: number
  measureMs: number
}

/** Same columns as `events`, one primary key (event_id), no triggers, no other index: a plain commit of the same row. */
export async function createCeilingTable(owner: pg.Pool, role: string | undefined): Promise<void> {
  await owner.query(`
    CREATE TABLE bench_ceiling (
      agency_id text NOT NULL, agency_position bigint NOT NULL, stream_id text NOT NULL, stream_type text NOT NULL,
      stream_version integer NOT NULL, event_id uuid PRIMARY KEY, event_type text NOT NULL, schema_version integer NOT NULL,
      data jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL, prev_hash bytea NOT NULL, hash bytea NOT NULL)`)
  if (role) await owner.query(`GRANT SELECT, INSERT ON bench_ceiling TO ${role}`)
}

export function rateFigure(r: ClosedLoopResult): { eventsPerSec: number; appendsPerSec: number; p50Ms: number; p99Ms: number; maxMs: number; measuredSeconds: number } {
  return { eventsPerSec: round(r.units / r.seconds), appendsPerSec: round(r.ops / r.seconds), ...latencySummary(r.latenciesMs), measuredSeconds: r.seconds }
}

/** Bare single-statement INSERTs of the same event JSON, autocommit, `inFlight` at a time. */
export async function measureCeiling(pool: pg.Pool, inFlight: number, timing: PhaseTiming, seed: number): Promise<ClosedLoopResult> {
  const pools = Array.from({ length: inFlight }, (_, w) => new StreamPool(`bench-ceiling-${w % 16}`, rng(seed + w)))
  let position = 0
  return closedLoop(inFlight, timing.warmupMs, timing.measureMs, async (w) => {
    const streams = pools[w] as StreamPool
    const s = streams.take()
    try {
      const [e] = s.next(1)
      if (!e) throw new Error('no event')
      await pool.query(
        `INSERT INTO bench_ceiling (agency_id, agency_position, stream_id, stream_type, stream_version, event_id, event_type,
           schema_version, data, metadata, recorded_at, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [s.agencyId, ++position, s.streamId, 'incident', s.version + 1, e.eventId, e.type, e.schemaVersion,
          JSON.stringify(e.data), JSON.stringify(e.metadata), s.recordedAt(), randomBytes(32), randomBytes(32)],
      )
      s.appended(1)
      return 1
    } finally {
      streams.release(s)
    }
  })
}

/**
 * store.append with `eventsPerAppend` events per call, `inFlight` calls at a time over `agencies` agencies.
 * Each worker owns its streams and tracks their versions, so there is never a conflict (one is an error).
 */
export async function measureAppend(
  store: PostgresEventStore,
  opts: { inFlight: number; agencies: number; eventsPerAppend: number; label: string; seed: number },
  timing: PhaseTiming,
): Promise<ClosedLoopResult> {
  const { inFlight, agencies, eventsPerAppend, label, seed } = opts
  // A 100-event append starts a new stream each time; single-event appends mix new and existing streams.
  const pools = Array.from({ length: inFlight }, (_, w) =>
    new StreamPool(`bench-${label}-${String(w % agencies).padStart(2, '0')}`, rng(seed + w), eventsPerAppend > 1 ? 1 : 0.3))
  return closedLoop(inFlight, timing.warmupMs, timing.measureMs, async (w) => {
    const streams = pools[w] as StreamPool
    const s = streams.take()
    try {
      const outcome = await store.append({
        agencyId: s.agencyId, streamId: s.streamId, streamType: 'incident', expectedVersion: s.version,
        recordedAt: s.recordedAt(), events: s.next(eventsPerAppend),
      })
      if (outcome.outcome !== 'appended') throw new Error(`append to ${s.streamId} at version ${s.version} returned ${outcome.outcome}`)
      s.appended(eventsPerAppend)
      return eventsPerAppend
    } finally {
      streams.release(s)
    }
  })
}

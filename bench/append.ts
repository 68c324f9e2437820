// Write throughput: the ceiling (a bare INSERT of a comparable row, autocommit) and PostgresEventStore.append
// with one event per call and with 100 events per call. Workloads that are compared run interleaved in short
// rounds (A B, B A, A B, ...) so that drift and noise on a shared machine hit them alike.
import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import type { PostgresEventStore } from '../src/eventstore/postgres-store.js'
import { rng, StreamPool } from './events.js'
import { closedLoop, latencySummary, round } from './report.js'

export interface Workload {
  name: string
  inFlight: number
  /** One operation of worker `w`; returns the number of events (rows) it wrote. */
  op: (w: number) => Promise<number>
}

export interface WorkloadFigure {
  eventsPerSec: number
  appendsPerSec: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  measuredSeconds: number
  rounds: number
  /** Rate of each round, to show the spread. */
  roundEventsPerSec: number[]
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

/** Bare single-statement INSERTs of the same event JSON (as text, like the store sends it), autocommit. */
export function ceilingWorkload(pool: pg.Pool, inFlight: number, seed: number): Workload {
  const pools = Array.from({ length: inFlight }, (_, w) => new StreamPool(`bench-ceiling-${w % 16}`, rng(seed + w)))
  let position = 0
  return {
    name: `ceiling@${inFlight}`,
    inFlight,
    op: async (w) => {
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
    },
  }
}

/**
 * store.append with `eventsPerAppend` events per call, `inFlight` calls at a time over `agencies` agencies.
 * Each worker owns its streams and tracks their versions, so there is never a conflict (one is an error).
 */
export function appendWorkload(
  store: PostgresEventStore,
  opts: { inFlight: number; agencies: number; eventsPerAppend: number; label: string; seed: number },
): Workload {
  const { inFlight, agencies, eventsPerAppend, label, seed } = opts
  // A 100-event append starts a new stream each time; single-event appends mix new and existing streams.
  const pools = Array.from({ length: inFlight }, (_, w) =>
    new StreamPool(`bench-${label}-${String(w % agencies).padStart(2, '0')}`, rng(seed + w), eventsPerAppend > 1 ? 1 : 0.3))
  return {
    name: `append@${inFlight}x${agencies}x${eventsPerAppend}`,
    inFlight,
    op: async (w) => {
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
    },
  }
}

/**
 * Runs the workloads one after the other in `rounds` rounds of `measureMs / rounds` each, reversing the
 * order every other round; each workload first gets one unmeasured warm-up of `warmupMs`.
 */
export async function interleaved(workloads: readonly Workload[], rounds: number, warmupMs: number, measureMs: number): Promise<WorkloadFigure[]> {
  for (const w of workloads) await closedLoop(w.inFlight, 0, warmupMs, w.op)
  const acc = workloads.map(() => ({ ops: 0, units: 0, seconds: 0, latencies: [] as number[], perRound: [] as number[] }))
  const slice = measureMs / rounds
  for (let r = 0; r < rounds; r++) {
    const order = workloads.map((_, i) => i)
    if (r % 2 === 1) order.reverse()
    for (const i of order) {
      const w = workloads[i] as Workload
      const res = await closedLoop(w.inFlight, 0, slice, w.op)
      const a = acc[i] as (typeof acc)[number]
      a.ops += res.ops
      a.units += res.units
      a.seconds += res.seconds
      for (const l of res.latenciesMs) a.latencies.push(l)
      a.perRound.push(round(res.units / res.seconds))
    }
  }
  return acc.map((a) => ({
    eventsPerSec: round(a.units / a.seconds),
    appendsPerSec: round(a.ops / a.seconds),
    ...latencySummary(a.latencies),
    measuredSeconds: round(a.seconds, 2),
    rounds,
    roundEventsPerSec: a.perRound,
  }))
}

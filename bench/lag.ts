// Append-to-read-model lag: single-event appends at a steady (open-loop) rate while the runner runs; for each,
// the time from just before store.append until the runner reports the incidents checkpoint of that agency
// at or past the appended position (runner.onApplied, emitted right after the batch commits).
import type { PostgresEventStore } from '../src/eventstore/postgres-store.js'
import type { ProjectionRunner } from '../src/projections/runner.js'
import { rng, StreamPool } from './events.js'
import { latencySummary, nowMs, round } from './report.js'

export interface LagResult {
  targetPerSec: number
  achievedPerSec: number
  appends: number
  /** Appends whose position the read model had not reached 30 s after the last append. */
  unresolved: number
  p50Ms: number
  p99Ms: number
  maxMs: number
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export async function measureLag(
  store: PostgresEventStore,
  runner: ProjectionRunner,
  opts: { rate: number; seconds: number; agencies: number; label: string; seed: number },
): Promise<LagResult> {
  const { rate, seconds, agencies, label, seed } = opts
  const r = rng(seed)
  const pools = Array.from({ length: agencies }, (_, i) => new StreamPool(`bench-${label}-${String(i).padStart(2, '0')}`, r, 0.3))
  const appliedUpTo = new Map<string, number>()
  const pending = new Map<string, { position: number; start: number }[]>()
  const lags: number[] = []
  const off = runner.onApplied((projection, agency, position) => {
    if (projection !== 'incidents') return
    appliedUpTo.set(agency, Math.max(position, appliedUpTo.get(agency) ?? 0))
    const waiting = pending.get(agency)
    if (!waiting) return
    const now = nowMs()
    const still = waiting.filter((p) => {
      if (p.position > position) return true
      lags.push(now - p.start)
      return false
    })
    pending.set(agency, still)
    checkDrained()
  })
  let done!: () => void
  const drained = new Promise<void>((resolve) => (done = resolve))
  const checkDrained = () => {
    if ([...pending.values()].every((xs) => xs.length === 0) && inFlight === 0 && finishedIssuing) done()
  }
  let inFlight = 0
  let finishedIssuing = false
  let failure: unknown
  const total = Math.round(rate * seconds)
  const append = async (i: number) => {
    const streams = pools[i % agencies] as StreamPool
    const s = streams.take()
    inFlight++
    try {
      const start = nowMs()
      const outcome = await store.append({
        agencyId: s.agencyId, streamId: s.streamId, streamType: 'incident', expectedVersion: s.version,
        recordedAt: s.recordedAt(), events: s.next(1),
      })
      if (outcome.outcome !== 'appended') throw new Error(`lag append to ${s.streamId} returned ${outcome.outcome}`)
      s.appended(1)
      const position = outcome.result.lastPosition
      if ((appliedUpTo.get(s.agencyId) ?? 0) >= position) lags.push(nowMs() - start)
      else {
        const list = pending.get(s.agencyId) ?? []
        list.push({ position, start })
        pending.set(s.agencyId, list)
      }
    } catch (err) {
      failure ??= err
    } finally {
      streams.release(s)
      inFlight--
      checkDrained()
    }
  }
  const t0 = nowMs()
  const issued: Promise<void>[] = []
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate
    const wait = due - nowMs()
    if (wait > 1) await sleep(wait)
    issued.push(append(i))
  }
  const issuedFor = (nowMs() - t0) / 1000
  finishedIssuing = true
  await Promise.all(issued)
  checkDrained()
  let timer: NodeJS.Timeout | undefined
  await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, 30_000)))])
  clearTimeout(timer)
  off()
  if (failure) throw failure
  const unresolved = [...pending.values()].reduce((n, xs) => n + xs.length, 0)
  return { targetPerSec: rate, achievedPerSec: round(total / issuedFor), appends: total, unresolved, ...latencySummary(lags) }
}

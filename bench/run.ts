// `npm run bench`: write and projection figures of the event store, printed as JSON lines on stdout (one
// object per figure; progress goes to stderr). Never asserts times; exits non-zero only when a correctness
// check fails (the projection applied a different number of events than were written, or lost one).
// See bench/README.md for what each figure means.
import { PostgresEventStore } from '../src/eventstore/postgres-store.js'
import { incidentsProjection } from '../src/projections/incidents.js'
import { ProjectionRunner } from '../src/projections/runner.js'
import { appendWorkload, ceilingWorkload, createCeilingTable, interleaved, type WorkloadFigure } from './append.js'
import { measureCatchUp, resetIncidentsProjection, seedIncidents, stderrLogger } from './catchup.js'
import { describeEnvironment, openBenchDatabase, sessionPool, type BenchDatabase } from './database.js'
import { measureLag } from './lag.js'
import { emit, envInt, envList, progress, round } from './report.js'
import { measureWebhooks } from './webhooks.js'
import { measureAuditTrail } from './audit-trail.js'

const sizes = {
  events: envInt('BENCH_EVENTS', 100_000),
  lagSeconds: envInt('BENCH_SECONDS', 10),
  phaseSeconds: envInt('BENCH_PHASE_SECONDS', 5),
  rounds: envInt('BENCH_ROUNDS', 5),
  seedWriters: envInt('BENCH_WRITERS', 8),
  seedAgencies: envInt('BENCH_AGENCIES', 8),
  batchSizes: envList('BENCH_BATCH_SIZES', [2_000, 5_000, 10_000]),
  lagRate: envInt('BENCH_LAG_RATE', 200),
  lagHighRate: envInt('BENCH_LAG_HIGH_RATE', 1_000),
  webhookSeconds: envInt('BENCH_WEBHOOK_SECONDS', 10),
  webhookSenders: envInt('BENCH_WEBHOOK_SENDERS', 8),
  webhookSamples: envInt('BENCH_WEBHOOK_SAMPLES', 200),
  webhookRate: envInt('BENCH_WEBHOOK_RATE', 20),
  webhookHotAlerts: envInt('BENCH_WEBHOOK_HOT_ALERTS', 2_000),
  auditEvents: envInt('BENCH_AUDIT_EVENTS', 1_000_000),
  auditInFlight: envInt('BENCH_AUDIT_IN_FLIGHT', 4),
}
/**
 * `BENCH_ONLY=store` runs only the event store and projection figures (sections 1–4), `webhooks` only the
 * webhook figures (section 5), `audit` only the audit-trail figures (section 6).
 */
const only = process.env.BENCH_ONLY
if (only !== undefined && only !== '' && only !== 'store' && only !== 'webhooks' && only !== 'audit') {
  throw new Error(`BENCH_ONLY must be "store", "webhooks", "audit" or unset, got "${only}"`)
}
const HIGH = 64
const timing = { warmupMs: 1_000, measureMs: sizes.phaseSeconds * 1_000 }
const RUNNER_OWNER = 'bench-runner'

let db: BenchDatabase | undefined
let failed = false

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: cleaning up`)
    void (db?.close() ?? Promise.resolve()).finally(() => process.exit(130))
  })
}

async function main(): Promise<void> {
  db = await openBenchDatabase(HIGH + 8)
  emit({ ...(await describeEnvironment(db)), sizes })
  const store = new PostgresEventStore(db.app.pool)
  if (only === 'audit') return auditFigures(db)
  if (only !== 'webhooks') await storeFigures(db, store)
  if (only === 'store') return

  // 5. SIEM webhooks through the whole service: ingest rate, correlation drain, delivery to incident in GraphQL.
  const wh = await measureWebhooks(db, store, { seconds: sizes.webhookSeconds, senders: sizes.webhookSenders, latencySamples: sizes.webhookSamples, latencyRate: sizes.webhookRate, hotAlerts: sizes.webhookHotAlerts })
  emit(wh.ingest)
  emit(wh.drain)
  emit(wh.hotGroup)
  emit(wh.deliveryToIncident)
  if (wh.drain.caughtUp !== true || wh.drain.alertsWithoutIncident !== 0 || wh.deliveryToIncident.unresolved !== 0 || wh.hotGroup.caughtUp !== true || wh.hotGroup.incidents !== 1) {
    failed = true
    progress('CORRECTNESS: correlation did not catch up, an alert meeting the threshold has no incident, or a delivery never showed its incident')
  }
  if (only !== 'webhooks') await auditFigures(db)
}

/** 6. Audit trail: export through HTTP (events/s, MB/s, peak memory) and verification (events/s). */
async function auditFigures(db: BenchDatabase): Promise<void> {
  const audit = await measureAuditTrail(db, { events: sizes.auditEvents, inFlight: sizes.auditInFlight })
  for (const figure of audit.figures) emit(figure)
  if (!audit.ok) {
    failed = true
    progress('CORRECTNESS: an audit-trail export missed events, or a verification found a break in an intact log')
  }
}

/** Sections 1–4: the event store and the projection runner. */
async function storeFigures(db: BenchDatabase, store: PostgresEventStore): Promise<void> {
  const { app, owner } = db
  // 1. Projection catch-up (first, on an empty log, so every incident event in the log is a seeded one).
  progress(`seeding ${sizes.events} incident events (${sizes.seedWriters} writers, ${sizes.seedAgencies} agencies, synchronous_commit=off)`)
  const seedPool = sessionPool(db.url, db.role, sizes.seedWriters, '-c synchronous_commit=off')
  const seeded = await seedIncidents(seedPool, sizes.events, sizes.seedWriters, sizes.seedAgencies, 1).finally(() => seedPool.end())
  emit({
    metric: 'seed', note: 'informational: store.append with synchronous_commit=off, 1-4 events per append',
    events: seeded.events, appends: seeded.appends, writers: sizes.seedWriters, agencies: sizes.seedAgencies,
    seconds: round(seeded.seconds, 2), eventsPerSec: round(seeded.events / seeded.seconds),
  })
  // What autovacuum would have done to an insert-only table by the time a runner catches up; also makes
  // trials comparable (the first one would otherwise pay for setting hint bits).
  await owner.pool.query('VACUUM ANALYZE events')
  let best: { batchSize: number; eventsPerSec: number } | undefined
  for (const [i, batchSize] of sizes.batchSizes.entries()) {
    if (i > 0) await resetIncidentsProjection(owner.pool)
    progress(`projection catch-up, batchSize ${batchSize}`)
    const res = await measureCatchUp(app.pool, owner.pool, batchSize, RUNNER_OWNER)
    emit({ metric: 'projection_catchup', projection: 'incidents', ...res })
    if (!res.ok) {
      failed = true
      progress(`CORRECTNESS: applied ${res.applied} of ${res.written} written; ${res.currentRows} current rows for ${res.reported} reported incidents`)
    }
    if (!best || res.eventsPerSec > best.eventsPerSec) best = { batchSize: res.batchSize, eventsPerSec: res.eventsPerSec }
  }
  if (best) emit({ metric: 'projection_catchup_best', ...best, triedBatchSizes: sizes.batchSizes })

  // 2. Ceiling and single-event appends, interleaved in rounds at the same concurrency.
  await createCeilingTable(owner.pool, db.role)
  const rounds = sizes.rounds
  progress('ceiling and append, 1 in flight')
  const [c1, a1] = await interleaved([
    ceilingWorkload(app.pool, 1, 11),
    appendWorkload(store, { inFlight: 1, agencies: 1, eventsPerAppend: 1, label: 'a1', seed: 21 }),
  ], rounds, timing.warmupMs, timing.measureMs) as [WorkloadFigure, WorkloadFigure]
  emit({ metric: 'ceiling_insert', inFlight: 1, ...c1 })
  emit({ metric: 'append_rate', inFlight: 1, agencies: 1, ...a1, ratioToCeiling: round(a1.eventsPerSec / c1.eventsPerSec, 3) })

  progress(`ceiling and append, ${HIGH} in flight (16 agencies, 1 agency)`)
  const [c64, a64, a64one] = await interleaved([
    ceilingWorkload(app.pool, HIGH, 12),
    appendWorkload(store, { inFlight: HIGH, agencies: 16, eventsPerAppend: 1, label: 'a64x16', seed: 22 }),
    appendWorkload(store, { inFlight: HIGH, agencies: 1, eventsPerAppend: 1, label: 'a64x1', seed: 23 }),
  ], rounds, timing.warmupMs, timing.measureMs) as [WorkloadFigure, WorkloadFigure, WorkloadFigure]
  emit({ metric: 'ceiling_insert', inFlight: HIGH, ...c64 })
  emit({ metric: 'append_rate', inFlight: HIGH, agencies: 16, ...a64, ratioToCeiling: round(a64.eventsPerSec / c64.eventsPerSec, 3) })
  emit({ metric: 'append_rate', inFlight: HIGH, agencies: 1, note: 'informational: one agency serializes on its head row', ...a64one, ratioToCeiling: round(a64one.eventsPerSec / c64.eventsPerSec, 3) })

  // 3. 100-event appends (one call, one stream, 100 events), each interleaved with the ceiling at its concurrency.
  progress('100-event appends and the ceiling, 1 in flight and 16 in flight over 16 agencies')
  const [cb1, b1, c16, b16] = await interleaved([
    ceilingWorkload(app.pool, 1, 13),
    appendWorkload(store, { inFlight: 1, agencies: 1, eventsPerAppend: 100, label: 'b1', seed: 31 }),
    ceilingWorkload(app.pool, 16, 14),
    appendWorkload(store, { inFlight: 16, agencies: 16, eventsPerAppend: 100, label: 'b16', seed: 32 }),
  ], rounds, timing.warmupMs, timing.measureMs) as [WorkloadFigure, WorkloadFigure, WorkloadFigure, WorkloadFigure]
  emit({ metric: 'ceiling_insert', inFlight: 16, ...c16 })
  emit({ metric: 'batch_append_rate', eventsPerAppend: 100, inFlight: 1, agencies: 1, ...b1, ratioToCeiling: round(b1.eventsPerSec / cb1.eventsPerSec, 3) })
  emit({ metric: 'batch_append_rate', eventsPerAppend: 100, inFlight: 16, agencies: 16, ...b16, ratioToCeiling: round(b16.eventsPerSec / c16.eventsPerSec, 3) })

  // 4. Lag from append to read model, with the runner as the service runs it (default pollMs and batchSize).
  const runner = new ProjectionRunner({ pool: app.pool, projections: [incidentsProjection], logger: stderrLogger, owner: RUNNER_OWNER })
  let wakeUps = true
  const offAppended = store.onAppended(() => {
    if (wakeUps) runner.wake()
  })
  try {
    runner.start()
    progress('lag: runner catching up on the events of the write phases')
    const heads = await store.heads()
    const caught = await Promise.all([...heads].map(([agency, head]) => runner.waitFor('incidents', agency, head, 120_000)))
    if (!caught.every(Boolean)) throw new Error('the runner did not catch up within 120 s before the lag phase')
    const variants = [
      { rate: sizes.lagRate, seconds: sizes.lagSeconds, wake: true, label: 'lag-low' },
      { rate: sizes.lagHighRate, seconds: Math.max(1, sizes.lagSeconds / 2), wake: true, label: 'lag-high' },
      { rate: sizes.lagRate, seconds: Math.max(1, Math.round(sizes.lagSeconds * 0.3)), wake: false, label: 'lag-poll' },
    ]
    for (const [i, v] of variants.entries()) {
      wakeUps = v.wake
      progress(`lag at ${v.rate}/s for ${v.seconds} s, wake-ups ${v.wake ? 'on' : 'off (poll only)'}`)
      const res = await measureLag(store, runner, { rate: v.rate, seconds: v.seconds, agencies: 16, label: v.label, seed: 41 + i })
      emit({
        metric: 'append_to_read_model_lag', wakeUps: v.wake, pollMs: runner.pollMs, batchSize: runner.batchSize, seconds: v.seconds,
        ...(v.wake ? {} : { note: 'informational: poll only, no wake-up after append' }), ...res,
      })
      if (res.unresolved > 0) {
        failed = true
        progress(`CORRECTNESS: ${res.unresolved} appended events never reached the read model`)
      }
    }
  } finally {
    offAppended()
    await runner.stop()
  }
}

try {
  await main()
} catch (err) {
  failed = true
  progress(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
} finally {
  await db?.close()
}
process.exit(failed ? 1 : 0)

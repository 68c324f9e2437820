// Audit-trail figures (issue 7): a log of `events` events in one agency (100-event appends), exported through
// the real HTTP route (buildApp listening on a local port, the body streamed to a file by fetch) as JSON Lines
// and CSV, with the process's peak RSS and heap during each export (server and client are this process); a
// tenth of the log exported first, so that the peaks of two sizes can be compared (flat memory); then
// verifyExport on each file, sealing the agency's digests, and verifyDatabase over the agency.
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream } from 'node:stream/web'
import { buildApp } from '../src/app.js'
import { registerAgency } from '../src/application/agencies.js'
import { systemClock } from '../src/application/context.js'
import { sealAgencyNow } from '../src/audit-trail/digests.js'
import type { ExportManifest } from '../src/audit-trail/export.js'
import { generateSigner } from '../src/audit-trail/signing.js'
import { verifyDatabase } from '../src/audit-trail/verify-database.js'
import { verifyExport } from '../src/audit-trail/verify-export.js'
import { PostgresEventStore } from '../src/eventstore/postgres-store.js'
import type { NewEvent } from '../src/eventstore/types.js'
import { allProjections } from '../src/projections/index.js'
import { ProjectionRunner } from '../src/projections/runner.js'
import { organisationHelpers } from '../test/helpers/organisation.js'
import { stderrLogger } from './catchup.js'
import { sessionPool, type BenchDatabase } from './database.js'
import { progress, round } from './report.js'

export interface AuditFigures {
  figures: Record<string, unknown>[]
  /** False when a check failed (an export missed events, a verification found a break in an intact log). */
  ok: boolean
}

const quiet = { ...stderrLogger, info: () => undefined, debug: () => undefined }
const AGENCY = 'bench-audit'
const MB = 2 ** 20

/** A realistic event of the seeded log: a record with Japanese text, a few fields and a nested list. */
function benchEvent(i: number, actor: string): NewEvent {
  return {
    eventId: randomUUID(), type: i % 7 === 0 ? 'BenchRecordReviewed' : 'BenchRecordUpdated', schemaVersion: 1,
    data: {
      recordId: `R-${Math.floor(i / 100)}`, seq: i, title: `情報資産の点検 ${i}`, note: '定期点検, "要確認" の項目あり',
      checks: [{ item: 'backup', ok: i % 3 !== 0 }, { item: 'access-review', ok: true }], at: new Date(Date.UTC(2026, 3, 1) + i * 1000).toISOString(),
    },
    metadata: { actor: { id: actor, roles: ['GENERAL_SECURITY_OFFICER'] }, correlationId: randomUUID(), causationId: randomUUID(), source: i % 2 ? 'api' : 'graphql', commandType: 'RecordBenchRecord' },
  }
}

/** `events` events in 100-event appends (a new stream each), `inFlight` at a time, asynchronous commit. */
async function seed(db: BenchDatabase, events: number, inFlight: number): Promise<{ seconds: number; appended: number }> {
  const pool = sessionPool(db.url, db.role, inFlight, '-c synchronous_commit=off')
  const store = new PostgresEventStore(pool)
  const start = performance.now()
  let next = 0
  let appended = 0
  try {
    await Promise.all(Array.from({ length: inFlight }, async () => {
      for (let call = next++; call * 100 < events; call = next++) {
        const count = Math.min(100, events - call * 100)
        const outcome = await store.append({
          agencyId: AGENCY, streamId: `bench-record-${call}`, streamType: 'bench-record', expectedVersion: 0, recordedAt: new Date().toISOString(),
          events: Array.from({ length: count }, (_, k) => benchEvent(call * 100 + k, `officer-${call % 20}`)),
        })
        if (outcome.outcome !== 'appended') throw new Error(`seed append ${call}: ${outcome.outcome}`)
        appended += count
        if (call % 1_000 === 0) progress(`audit: seeded ${appended} events`)
      }
    }))
  } finally {
    await pool.end()
  }
  return { seconds: (performance.now() - start) / 1000, appended }
}

/** Peak RSS and heap of this process while `fn` runs, sampled every 20 ms. */
async function withMemory<T>(fn: () => Promise<T>): Promise<{ result: T; baselineRssMb: number; peakRssMb: number; baselineHeapMb: number; peakHeapMb: number }> {
  global.gc?.()
  const before = process.memoryUsage()
  let peakRss = before.rss
  let peakHeap = before.heapUsed
  const timer = setInterval(() => {
    const m = process.memoryUsage()
    peakRss = Math.max(peakRss, m.rss)
    peakHeap = Math.max(peakHeap, m.heapUsed)
  }, 20)
  try {
    const result = await fn()
    return { result, baselineRssMb: round(before.rss / MB, 1), peakRssMb: round(peakRss / MB, 1), baselineHeapMb: round(before.heapUsed / MB, 1), peakHeapMb: round(peakHeap / MB, 1) }
  } finally {
    clearInterval(timer)
  }
}

export async function measureAuditTrail(db: BenchDatabase, opts: { events: number; inFlight: number }): Promise<AuditFigures> {
  const pool = db.app.pool
  const store = new PostgresEventStore(pool)
  const signer = generateSigner()
  const figures: Record<string, unknown>[] = []
  let ok = true
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cs-record-bench-audit-'))
  const runner = new ProjectionRunner({ pool, projections: allProjections, logger: quiet, owner: `bench-audit-${randomUUID()}` })
  const app = await buildApp({
    pool, kysely: db.app.kysely, store, runner, clock: systemClock, signer,
    incidentPolicy: { nationalCentreName: 'National Cybersecurity Office', closeRequiresNotification: true },
    readWaitMs: 5_000, graphiql: false, logger: false,
  })
  try {
    // 1. An auditor's token (the read models it needs caught up), then the runner stops: the log is seeded after.
    await registerAgency(store, systemClock, { agencyId: AGENCY, name: 'Audit bench agency', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' }, 'bench', { correlationId: randomUUID(), source: 'cli' })
    runner.start()
    const org = organisationHelpers({ store, clock: systemClock, pool, waitFor: (...a) => runner.waitFor(...a), projections: allProjections })
    const token = await org.token(AGENCY, ['AUDITOR'], 'bench-auditor')
    await runner.stop()

    progress(`audit: seeding ${opts.events} events in one agency, 100-event appends, ${opts.inFlight} in flight`)
    const seeded = await seed(db, opts.events, opts.inFlight)
    figures.push({ metric: 'audit_seed', note: 'informational: synchronous_commit=off', events: seeded.appended, inFlight: opts.inFlight, seconds: round(seeded.seconds, 1), eventsPerSec: round(seeded.appended / seeded.seconds) })
    await db.owner.pool.query('VACUUM ANALYZE events')
    const head = Number((await pool.query<{ position: string }>('SELECT position FROM agency_heads WHERE agency_id = $1', [AGENCY])).rows[0]?.position ?? 0)

    // 2. Exports over HTTP, the body streamed to a file.
    await app.listen({ port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    const headers = { authorization: `Bearer ${token}` }
    const exportOnce = async (format: 'jsonl' | 'csv', toPosition?: number) => {
      const file = path.join(dir, `export-${format}-${toPosition ?? 'all'}.${format}`)
      const measured = await withMemory(async () => {
        const start = performance.now()
        const res = await fetch(`${base}/api/audit-trail/export?format=${format}&agencyId=${AGENCY}${toPosition ? `&toPosition=${toPosition}` : ''}`, { headers })
        if (res.status !== 200 || !res.body) throw new Error(`export ${format}: HTTP ${res.status} ${await res.text()}`)
        await pipeline(Readable.fromWeb(res.body as ReadableStream<Uint8Array>), createWriteStream(file))
        const seconds = (performance.now() - start) / 1000
        const manifest = (await (await fetch(`${base}/api/audit-trail/exports/${res.headers.get('audit-export-id') ?? ''}/manifest`, { headers })).json()) as ExportManifest
        await writeFile(`${file}.manifest.json`, JSON.stringify(manifest))
        return { seconds, manifest }
      })
      const bytes = (await stat(file)).size
      const { seconds, manifest } = measured.result
      const expected = toPosition ?? head
      if (manifest.eventCount !== expected || manifest.contentBytes !== bytes) {
        ok = false
        progress(`CORRECTNESS: export ${format} has ${manifest.eventCount} events / ${manifest.contentBytes} bytes, expected ${expected} events / ${bytes} bytes`)
      }
      const { result: _result, ...memory } = measured
      figures.push({
        metric: 'audit_export', format, via: 'GET /api/audit-trail/export (HTTP, streamed to a file)', events: manifest.eventCount, megabytes: round(bytes / MB, 1),
        seconds: round(seconds, 2), eventsPerSec: round(manifest.eventCount / seconds), mbPerSec: round(bytes / MB / seconds, 1), ...memory,
      })
      return { file, manifestPath: `${file}.manifest.json` }
    }
    const written: Record<string, { file: string; manifestPath: string }> = {}
    progress('audit: export of a tenth of the log (jsonl), for the memory comparison')
    await exportOnce('jsonl', Math.max(1, Math.floor(head / 10)))
    for (const format of ['jsonl', 'csv'] as const) {
      progress(`audit: export of ${head} events as ${format}`)
      written[format] = await exportOnce(format)
    }

    // 3. Verification of the files, then of the database (digests sealed first, so their roots are checked too).
    const keys = [{ keyId: signer.keyId, algorithm: 'Ed25519' as const, publicKeyPem: signer.publicKeyPem }]
    for (const format of ['jsonl', 'csv'] as const) {
      const w = written[format]
      if (!w) continue
      progress(`audit: verifyExport of the ${format} file`)
      const measured = await withMemory(async () => {
        const start = performance.now()
        const report = await verifyExport({ contentPath: w.file, manifestPath: w.manifestPath, keys })
        return { report, seconds: (performance.now() - start) / 1000 }
      })
      const { report, seconds } = measured.result
      if (!report.intact) {
        ok = false
        progress(`CORRECTNESS: verifyExport(${format}) reported ${JSON.stringify(report.firstBroken)}`)
      }
      const { result: _result, ...memory } = measured
      figures.push({ metric: 'audit_verify_export', format, intact: report.intact, events: report.checked.events, seconds: round(seconds, 2), eventsPerSec: round(report.checked.events / seconds), ...memory })
    }
    progress('audit: sealing the agency\'s digests')
    const sealStart = performance.now()
    const digests = await sealAgencyNow(pool, signer, AGENCY, new Date())
    const sealSeconds = (performance.now() - sealStart) / 1000
    figures.push({ metric: 'audit_seal_digests', note: 'informational', events: head, digests: digests.length, seconds: round(sealSeconds, 2), eventsPerSec: round(head / sealSeconds) })
    progress('audit: verifyDatabase over the agency')
    const verifyStart = performance.now()
    const report = await verifyDatabase(pool, { agencyIds: [AGENCY], keys })
    const verifySeconds = (performance.now() - verifyStart) / 1000
    if (!report.intact || report.checked.events !== head) {
      ok = false
      progress(`CORRECTNESS: verifyDatabase reported ${JSON.stringify(report.firstBroken)} after ${report.checked.events} of ${head} events`)
    }
    figures.push({ metric: 'audit_verify_database', intact: report.intact, events: report.checked.events, digests: report.checked.digests, seconds: round(verifySeconds, 2), eventsPerSec: round(report.checked.events / verifySeconds) })
  } finally {
    await app.close()
    await runner.stop()
    await rm(dir, { recursive: true, force: true })
  }
  return { figures, ok }
}

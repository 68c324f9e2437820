// Streamed exports of one agency's audit trail: keyset batches of the reader, formatted, hashed (SHA-256) and
// counted as they go out through a Readable that pulls the next batch only when the consumer wants more, so
// memory stays flat whatever the size. The covered range ends at the head read when the export starts. When
// the last byte has been produced, the signed manifest is stored in audit_exports; an export that is aborted
// or fails has none. The REST route and `npm run admin -- export` both run startExport.
import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { canonicalJson } from '../eventstore/hash.js'
import { formatWriters, type ExportFormat } from './formats.js'
import { ensureKeyRegistered } from './keys.js'
import { agencyHead, coveredPositions, filterFields, readBatch, type AuditFilter, type Cursor } from './reader.js'
import type { Signer } from './signing.js'

export interface EventMark {
  position: number
  hash: string
}

export interface ExportManifest {
  version: 1
  exportId: string
  format: ExportFormat
  agencyId: string
  /** The filter as normalised (no agencyId, unset fields left out): empty when the export is the whole range. */
  filters: Record<string, unknown>
  /** Positions the export looked at: from fromPosition (or 1) to the head at its start (or toPosition). */
  coveredPositions: { from: number; to: number }
  eventCount: number
  firstEvent: EventMark | null
  lastEvent: EventMark | null
  /** SHA-256 (hex) and length of the exported bytes, BOM and header included. */
  contentSha256: string
  contentBytes: number
  createdAt: string
  createdBy: string
  keyId: string
  /** Ed25519 (base64) over canonicalJson of every other field. */
  signature: string
}

export type UnsignedManifest = Omit<ExportManifest, 'signature'>

export interface ExportRequest {
  filter: AuditFilter
  format: ExportFormat
  createdBy: string
  now: Date
  /** Events per read (default 2,000). */
  batchSize?: number
}

export interface StartedExport {
  exportId: string
  filename: string
  contentType: string
  /** The content; its end comes after the manifest is stored. */
  body: Readable
  /** Resolves once the manifest is stored; rejects if the export failed or was aborted. */
  manifest: Promise<ExportManifest>
}

export const EXPORT_BATCH = 2_000

export class ExportAbortedError extends Error {
  override name = 'ExportAbortedError'
}

export async function startExport(deps: { pool: pg.Pool; signer: Signer }, request: ExportRequest): Promise<StartedExport> {
  const { pool, signer } = deps
  const { filter, format } = request
  const writer = formatWriters[format]
  const covered = coveredPositions(filter, await agencyHead(pool, filter.agencyId))
  const exportId = randomUUID()
  let settle!: { resolve: (m: ExportManifest) => void; reject: (err: unknown) => void }
  const manifest = new Promise<ExportManifest>((resolve, reject) => {
    settle = { resolve, reject }
  })
  manifest.catch(() => undefined) // a consumer that never asks is not an unhandled rejection

  async function* produce(): AsyncGenerator<Buffer> {
    const sha = createHash('sha256')
    let bytes = 0
    const out = (text: string): Buffer => {
      const chunk = Buffer.from(text, 'utf8')
      sha.update(chunk)
      bytes += chunk.length
      return chunk
    }
    let finished = false
    try {
      const head = writer.head()
      if (head !== '') yield out(head)
      let eventCount = 0
      let firstEvent: EventMark | null = null
      let lastEvent: EventMark | null = null
      let cursor: Cursor = { p: 0 }
      for (;;) {
        const batch = await readBatch(pool, filter, cursor, covered.to, request.batchSize ?? EXPORT_BATCH)
        const last = batch.events.at(-1)
        if (last) {
          const first = batch.events[0] ?? last
          firstEvent ??= { position: first.position, hash: first.hash }
          lastEvent = { position: last.position, hash: last.hash }
          eventCount += batch.events.length
          yield out(writer.rows(batch.events))
        }
        cursor = batch.next
        if (batch.done) break
      }
      const unsigned: UnsignedManifest = {
        version: 1, exportId, format, agencyId: filter.agencyId, filters: filterFields(filter), coveredPositions: covered,
        eventCount, firstEvent, lastEvent, contentSha256: sha.digest('hex'), contentBytes: bytes,
        createdAt: request.now.toISOString(), createdBy: request.createdBy, keyId: signer.keyId,
      }
      const signed = await storeManifest(pool, signer, unsigned)
      finished = true
      settle.resolve(signed)
    } catch (err) {
      settle.reject(err)
      throw err
    } finally {
      if (!finished) settle.reject(new ExportAbortedError(`export ${exportId} stopped before its end: no manifest was stored`))
    }
  }

  const safeAgency = filter.agencyId.replace(/[^A-Za-z0-9._-]/g, '_')
  return {
    exportId, contentType: writer.contentType, filename: `audit-${safeAgency}-${exportId}.${writer.extension}`,
    body: Readable.from(produce(), { objectMode: false }), manifest,
  }
}

/** Signs the manifest with the published key and stores it. */
async function storeManifest(pool: pg.Pool, signer: Signer, unsigned: UnsignedManifest): Promise<ExportManifest> {
  await ensureKeyRegistered(pool, signer)
  const manifest: ExportManifest = { ...unsigned, signature: signer.sign(canonicalJson(unsigned)) }
  await pool.query('INSERT INTO audit_exports (agency_id, export_id, created_at, created_by, manifest) VALUES ($1, $2, $3, $4, $5)',
    [manifest.agencyId, manifest.exportId, manifest.createdAt, manifest.createdBy, JSON.stringify(manifest)])
  return manifest
}

/** A finished export's manifest, if it belongs to one of `agencyIds`. */
export async function findManifest(pool: pg.Pool, agencyIds: readonly string[], exportId: string): Promise<ExportManifest | undefined> {
  const { rows } = await pool.query<{ manifest: ExportManifest }>(
    'SELECT manifest FROM audit_exports WHERE agency_id = ANY($1::text[]) AND export_id = $2', [agencyIds, exportId])
  return rows[0]?.manifest
}

/** The export written to `outPath` and its manifest to `<outPath>.manifest.json` (the admin CLI). */
export async function exportToFile(deps: { pool: pg.Pool; signer: Signer }, request: ExportRequest, outPath: string): Promise<{ manifest: ExportManifest; manifestPath: string }> {
  const started = await startExport(deps, request)
  await pipeline(started.body, createWriteStream(outPath, { flags: 'wx' }))
  const manifest = await started.manifest
  const manifestPath = `${outPath}.manifest.json`
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' })
  return { manifest, manifestPath }
}

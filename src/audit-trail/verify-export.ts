// Offline verification of an export file against its signed manifest, streaming (flat memory): the manifest's
// signature, then each event in file order (JSON Lines and CSV: content hash and chained hash recomputed;
// every format: positions increasing, dense where the export is unfiltered, and the link between consecutive
// positions), then count, first and last event, byte count and SHA-256. Stops at the first broken link.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { canonicalJson, GENESIS_HASH } from '../eventstore/hash.js'
import type { ExportManifest } from './export.js'
import { Broken, csvDecoder, jsonlRow, lineDecoder, ocsfRow, type Row } from './export-rows.js'
import { exportFormats } from './formats.js'
import { keysById } from './keys.js'
import { verifySignature, type PublicKeyEntry } from './signing.js'
import type { BrokenLink, VerifyReport } from './verify-report.js'

export interface VerifyExportOptions {
  contentPath: string
  manifestPath: string
  keys: readonly PublicKeyEntry[]
}

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/)
const Mark = z.object({ position: z.number().int().min(1), hash: Hex64 }).nullable()
const Manifest = z.object({
  version: z.literal(1), exportId: z.string(), format: z.enum(exportFormats), agencyId: z.string(), filters: z.record(z.string(), z.unknown()),
  coveredPositions: z.object({ from: z.number().int().min(1), to: z.number().int().min(0) }), eventCount: z.number().int().min(0),
  firstEvent: Mark, lastEvent: Mark, contentSha256: Hex64, contentBytes: z.number().int().min(0), createdAt: z.string(), createdBy: z.string(),
  keyId: z.string(), signature: z.string(),
})

export async function verifyExport(opts: VerifyExportOptions): Promise<VerifyReport> {
  const notes: string[] = []
  const report = (firstBroken: BrokenLink | undefined, events: number, signatures: number): VerifyReport =>
    ({ intact: firstBroken === undefined, subject: 'export', checked: { events, signatures }, firstBroken, notes })

  // 1. The manifest and its signature: nothing else means anything if it does not verify.
  const signed = await signedManifest(opts)
  if ('broken' in signed) return report(signed.broken, 0, 0)
  const manifest = signed.manifest
  const filtered = Object.keys(manifest.filters).some((k) => k !== 'fromPosition' && k !== 'toPosition')
  if (filtered) {
    notes.push(`the export is filtered (${Object.keys(manifest.filters).join(', ')}): events between its positions are not part of it, so a removed row shows as a count or SHA-256 mismatch, and chain links are checked only between consecutive positions`)
  }
  if (manifest.format === 'ocsf') {
    notes.push('OCSF rows map the events rather than carry them byte for byte: content hashes were not recomputed, so an edited mapped field (actor, time, data) is caught by the SHA-256 of the file in the signed manifest but not located to its row; positions, chain links between consecutive positions, and each row\'s own consistency were checked')
  }

  // 2. Each row, in file order, while the bytes are hashed.
  const sha = createHash('sha256')
  let bytes = 0
  const rows = new RowChecker(manifest, !filtered)
  const decode = manifest.format === 'csv' ? csvDecoder(manifest.agencyId) : lineDecoder(manifest.format === 'ocsf' ? ocsfRow(manifest.agencyId) : jsonlRow(manifest.agencyId))
  try {
    for await (const chunk of createReadStream(opts.contentPath) as AsyncIterable<Buffer>) {
      sha.update(chunk)
      bytes += chunk.length
      for (const row of decode.push(chunk)) rows.check(row)
    }
    for (const row of await decode.end()) rows.check(row)
  } catch (err) {
    if (err instanceof Broken) return report(err.link, rows.count, 1)
    throw err
  }

  // 3. The whole file against the manifest.
  return report(rows.end() ?? wholeFile(manifest, rows, bytes, sha.digest('hex')), rows.count, 1)
}

async function signedManifest(opts: VerifyExportOptions): Promise<{ manifest: ExportManifest } | { broken: BrokenLink }> {
  let manifest: ExportManifest
  try {
    const parsed = Manifest.safeParse(JSON.parse(await readFile(opts.manifestPath, 'utf8')))
    if (!parsed.success) return { broken: { kind: 'MALFORMED', message: `the manifest ${opts.manifestPath} lacks ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}` } }
    manifest = parsed.data
  } catch (err) {
    return { broken: { kind: 'MALFORMED', message: `the manifest ${opts.manifestPath} is not JSON: ${(err as Error).message}` } }
  }
  const pem = keysById(opts.keys).get(manifest.keyId)
  if (pem === undefined) {
    return { broken: { kind: 'UNKNOWN_KEY', agencyId: manifest.agencyId, actual: manifest.keyId, message: `the manifest is signed with key ${manifest.keyId}, which none of the given public keys is (fetch GET /api/audit-trail/keys)` } }
  }
  const { signature, ...unsigned } = manifest
  if (!verifySignature(pem, canonicalJson(unsigned), signature)) {
    return { broken: { kind: 'BAD_SIGNATURE', agencyId: manifest.agencyId, message: `the manifest's signature does not verify with key ${manifest.keyId}: the manifest was altered or not signed by the service` } }
  }
  return { manifest }
}

/** Positions, density and links, row by row; keeps only the first and the previous row. */
class RowChecker {
  count = 0
  first: Row | undefined
  prev: Row | undefined
  constructor(private readonly manifest: ExportManifest, private readonly dense: boolean) {}

  check(row: Row): void {
    const { prev, manifest } = this
    const { from, to } = manifest.coveredPositions
    const at = { agencyId: manifest.agencyId, line: row.line, position: row.position, streamId: row.streamId, streamVersion: row.streamVersion, eventId: row.eventId }
    if (prev && row.position <= prev.position) throw new Broken({ kind: 'MALFORMED', ...at, expected: `> ${prev.position}`, actual: String(row.position), message: `positions must increase: line ${row.line} has position ${row.position} after ${prev.position} (a row repeated or moved)` })
    if (row.position < from || row.position > to) throw new Broken({ kind: 'MANIFEST_MISMATCH', ...at, expected: `${from}–${to}`, actual: String(row.position), message: `line ${row.line} has position ${row.position}, outside the positions the manifest covers` })
    const expected = prev ? prev.position + 1 : from
    if (this.dense && row.position !== expected) {
      const missing = row.position - expected > 1 ? `positions ${expected}–${row.position - 1}` : `position ${expected}`
      throw new Broken({ kind: 'GAP', ...at, expected: String(expected), actual: String(row.position), message: `${missing} missing before line ${row.line} (the export is unfiltered, so every position of ${from}–${to} must be there)` })
    }
    const linkTo = row.position === 1 ? GENESIS_HASH : prev && prev.position === row.position - 1 ? prev.hash : undefined
    if (linkTo !== undefined && row.prevHash !== linkTo) {
      throw new Broken({ kind: 'CHAIN_BROKEN', ...at, expected: linkTo, actual: row.prevHash, message: `the event at position ${row.position} does not chain to ${row.position === 1 ? 'the genesis hash' : `the one at position ${row.position - 1}`} (its prevHash is not that event's hash)` })
    }
    this.first ??= row
    this.prev = row
    this.count++
  }

  /** A dense export must reach the end of its range. */
  end(): BrokenLink | undefined {
    const { from, to } = this.manifest.coveredPositions
    const reached = this.prev?.position ?? from - 1
    if (!this.dense || reached === to) return undefined
    return { kind: 'GAP', agencyId: this.manifest.agencyId, position: reached + 1, expected: String(to), actual: this.prev ? String(reached) : 'none', message: `positions ${reached + 1}–${to} missing at the end of the file (the export is unfiltered)` }
  }
}

/** Count, first and last event, length and SHA-256 against the manifest. */
function wholeFile(manifest: ExportManifest, rows: RowChecker, bytes: number, digest: string): BrokenLink | undefined {
  const mark = (r: { position: number; hash: string } | null | undefined) => (r ? `${r.position}:${r.hash}` : 'none')
  const checks: [string, unknown, unknown][] = [
    ['event count', manifest.eventCount, rows.count],
    ['first event (position:hash)', mark(manifest.firstEvent), mark(rows.first)],
    ['last event (position:hash)', mark(manifest.lastEvent), mark(rows.prev)],
    ['length in bytes', manifest.contentBytes, bytes],
    ['SHA-256', manifest.contentSha256, digest],
  ]
  const differs = checks.find(([, expected, actual]) => expected !== actual)
  if (!differs) return undefined
  const [what, expected, actual] = differs
  return { kind: 'MANIFEST_MISMATCH', agencyId: manifest.agencyId, expected: String(expected), actual: String(actual), message: `the file's ${what} differs from the signed manifest's` }
}

// Exports against a seeded log: the body in each format, the manifest stored at the end (its SHA-256 and
// length those of the body, its signature verifying with the published key), the range ending at the head
// read at the start (later appends are not in it), no manifest for an export cut off, a filtered export
// recording its filter, the manifests append-only, and the CLI's path (file + manifest, never overwriting).
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import t from 'tap'
import { ExportAbortedError, exportToFile, findManifest, startExport, type ExportManifest } from '../../src/audit-trail/export.js'
import { normaliseFilter, type AuditFilterFields } from '../../src/audit-trail/reader.js'
import { listKeys } from '../../src/audit-trail/keys.js'
import { generateSigner, verifySignature } from '../../src/audit-trail/signing.js'
import { canonicalJson } from '../../src/eventstore/hash.js'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { freshDatabase } from '../helpers/db.js'
import { seedLog } from './audit-seed.js'

const db = await freshDatabase(t)
const store = new PostgresEventStore(db.app.pool)
const pool = db.app.pool
const signer = generateSigner()
await seedLog(store, 'mic', 15)
const log = await seedLog(store, 'mof', 120)
const now = new Date('2026-07-01T10:00:00+09:00')
const filterOf = (fields: AuditFilterFields = {}) => normaliseFilter('mof', fields, 'test')
const run = (fields: AuditFilterFields, format: 'jsonl' | 'csv' | 'ocsf', batchSize = 25) =>
  startExport({ pool, signer }, { filter: filterOf(fields), format, createdBy: 'auditor-1', now, batchSize })

async function bodyOf(readable: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of readable) chunks.push(Buffer.from(c as Buffer))
  return Buffer.concat(chunks)
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const signedPart = (m: ExportManifest) => {
  const { signature: _signature, ...rest } = m
  return canonicalJson(rest)
}

t.test('JSON Lines: every event of the agency, and a manifest that matches the body and verifies', async (t) => {
  const started = await run({}, 'jsonl')
  t.match(started, { contentType: /application\/x-ndjson/, filename: `audit-mof-${started.exportId}.jsonl` })
  const body = await bodyOf(started.body)
  const manifest = await started.manifest
  const lines = body.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { position: number; agencyId: string })
  t.same(lines.map((l) => l.position), log.map((e) => e.position), 'every position in order')
  t.same(lines, log, 'every field as stored')
  t.match(manifest, {
    version: 1, exportId: started.exportId, format: 'jsonl', agencyId: 'mof', filters: {}, coveredPositions: { from: 1, to: 120 }, eventCount: 120,
    firstEvent: { position: 1, hash: log[0]?.hash }, lastEvent: { position: 120, hash: log[119]?.hash },
    contentSha256: sha256(body), contentBytes: body.length, createdAt: now.toISOString(), createdBy: 'auditor-1', keyId: signer.keyId,
  })
  t.ok(verifySignature(signer.publicKeyPem, signedPart(manifest), manifest.signature), 'the signature verifies with the public key')
  t.notOk(verifySignature(signer.publicKeyPem, signedPart({ ...manifest, eventCount: 119 }), manifest.signature), 'and covers the count')
  t.same(await findManifest(pool, ['mof'], started.exportId), manifest, 'stored as returned')
  t.equal(await findManifest(pool, ['mic'], started.exportId), undefined, 'not found through another agency')
  t.match(await listKeys(pool), [{ keyId: signer.keyId, publicKeyPem: signer.publicKeyPem }], 'the signing key is published')
})

t.test('CSV and OCSF bodies, each with its manifest', async (t) => {
  const csv = await run({}, 'csv')
  const csvBody = await bodyOf(csv.body)
  const csvManifest = await csv.manifest
  t.same([...csvBody.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM')
  t.equal(csvManifest.contentSha256, sha256(csvBody))
  const records = parse(csvBody, { bom: true }) as string[][]
  t.equal(records.length, 121, 'a header and 120 records')
  t.same(records.slice(1).map((r) => Number(r[1])), log.map((e) => e.position))
  t.ok(records.slice(1).every((r) => r[2]?.endsWith('+09:00')), 'times in Japan time with offset')
  const ocsf = await run({}, 'ocsf')
  const ocsfBody = await bodyOf(ocsf.body)
  const ocsfManifest = await ocsf.manifest
  t.equal(ocsf.filename, `audit-mof-${ocsf.exportId}.ocsf.jsonl`)
  t.equal(ocsfManifest.contentSha256, sha256(ocsfBody))
  const rows = ocsfBody.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { class_uid: number; unmapped: { position: number; hash: string } })
  t.same(rows.map((r) => r.unmapped.position), log.map((e) => e.position))
  t.same(new Set(rows.map((r) => r.class_uid)), new Set([6003, 3004]), 'both classes occur')
})

t.test('a filtered export records its filter; the covered range is the whole agency up to the head', async (t) => {
  const started = await run({ entityType: 'INCIDENT', entityId: 'INC-1', fromPosition: 5 }, 'jsonl')
  const body = await bodyOf(started.body)
  const manifest = await started.manifest
  const expected = log.filter((e) => e.streamId === 'incident-INC-1' && e.position >= 5)
  t.equal(manifest.eventCount, expected.length)
  t.same(manifest.filters, { entity: { type: 'INCIDENT', id: 'INC-1' }, fromPosition: 5 })
  t.same(manifest.coveredPositions, { from: 5, to: 120 })
  t.same(manifest.firstEvent, { position: expected[0]?.position, hash: expected[0]?.hash })
  t.equal(body.toString('utf8').trimEnd().split('\n').length, expected.length)
  const none = await run({ actorId: 'nobody' }, 'jsonl')
  t.equal((await bodyOf(none.body)).length, 0)
  t.match(await none.manifest, { eventCount: 0, firstEvent: null, lastEvent: null, contentBytes: 0, contentSha256: sha256(Buffer.alloc(0)) })
})

t.test('the range ends at the head read at the start: events appended meanwhile are not in it', async (t) => {
  const started = await run({}, 'jsonl', 10)
  await seedLog(store, 'mof', 3, 120) // appended before the first byte is read
  const it = started.body[Symbol.asyncIterator]()
  const firstChunk = await it.next()
  t.notOk(firstChunk.done)
  t.equal(await findManifest(pool, ['mof'], started.exportId), undefined, 'no manifest while the export is under way')
  await seedLog(store, 'mof', 2, 123) // and while the export is under way
  const rest: Buffer[] = [Buffer.from(firstChunk.value as Buffer)]
  for (let c = await it.next(); !c.done; c = await it.next()) rest.push(Buffer.from(c.value as Buffer))
  const manifest = await started.manifest
  t.equal(manifest.eventCount, 120)
  t.same(manifest.coveredPositions, { from: 1, to: 120 })
  t.equal(Buffer.concat(rest).toString('utf8').trimEnd().split('\n').length, 120)
  const later = await run({}, 'jsonl')
  await bodyOf(later.body)
  t.equal((await later.manifest).eventCount, 125, 'a later export has them')
})

t.test('an export cut off has no manifest', async (t) => {
  const started = await run({}, 'csv', 10)
  const it = started.body[Symbol.asyncIterator]()
  await it.next()
  started.body.destroy()
  await t.rejects(started.manifest, ExportAbortedError)
  t.equal(await findManifest(pool, ['mof'], started.exportId), undefined)
})

t.test('manifests are append-only', async (t) => {
  const started = await run({}, 'jsonl')
  await bodyOf(started.body)
  await started.manifest
  await t.rejects(pool.query("UPDATE audit_exports SET created_by = 'someone else'"), 'the runtime role cannot change them')
  await t.rejects(db.owner.pool.query('DELETE FROM audit_exports'), /append-only/, 'nor can the owner while the trigger stands')
})

t.test('to a file (the CLI): the content and <file>.manifest.json; an existing file is never overwritten', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'audit-export-'))
  t.teardown(() => import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true })))
  const out = path.join(dir, 'mof.jsonl')
  const { manifest, manifestPath } = await exportToFile({ pool, signer }, { filter: filterOf({ toPosition: 50 }), format: 'jsonl', createdBy: 'admin-cli', now }, out)
  t.equal(manifestPath, `${out}.manifest.json`)
  t.same(JSON.parse(await readFile(manifestPath, 'utf8')), manifest)
  t.equal(sha256(await readFile(out)), manifest.contentSha256)
  t.equal(manifest.eventCount, 50)
  const taken = path.join(dir, 'taken.csv')
  await writeFile(taken, 'keep me')
  await t.rejects(exportToFile({ pool, signer }, { filter: filterOf(), format: 'csv', createdBy: 'admin-cli', now }, taken), { code: 'EEXIST' })
  t.equal(await readFile(taken, 'utf8'), 'keep me')
})

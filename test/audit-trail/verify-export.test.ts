// verifyExport on real exports: intact in each format; then one edit at a time and the report names the first
// broken link: a byte of an event, a hash, a removed line (a gap when unfiltered, a count mismatch when
// filtered), an event forged with its own hash re-computed (the next link breaks), a column that contradicts
// the event, trailing bytes, the manifest changed or signed by an unknown key.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { exportToFile } from '../../src/audit-trail/export.js'
import { normaliseFilter, type AuditFilterFields } from '../../src/audit-trail/reader.js'
import { generateSigner, type PublicKeyEntry } from '../../src/audit-trail/signing.js'
import { verifyExport } from '../../src/audit-trail/verify-export.js'
import { canonicalJson, chainHash, contentHash } from '../../src/eventstore/hash.js'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import type { StoredEvent } from '../../src/eventstore/types.js'
import { freshDatabase } from '../helpers/db.js'
import { seedLog } from './audit-seed.js'

const db = await freshDatabase(t)
const store = new PostgresEventStore(db.app.pool)
const signer = generateSigner()
const keys: PublicKeyEntry[] = [{ keyId: signer.keyId, algorithm: 'Ed25519', publicKeyPem: signer.publicKeyPem }]
const log = await seedLog(store, 'mof', 60)
const dir = await mkdtemp(path.join(os.tmpdir(), 'verify-export-'))
t.teardown(() => rm(dir, { recursive: true, force: true }))

let n = 0
async function exported(format: 'jsonl' | 'csv' | 'ocsf', fields: AuditFilterFields = {}): Promise<{ contentPath: string; manifestPath: string; text: string }> {
  const contentPath = path.join(dir, `export-${++n}.${format}`)
  const { manifestPath } = await exportToFile({ pool: db.app.pool, signer }, { filter: normaliseFilter('mof', fields, 'test'), format, createdBy: 'auditor', now: new Date() }, contentPath)
  return { contentPath, manifestPath, text: await readFile(contentPath, 'utf8') }
}

/** The same export with its content replaced (the manifest stays). */
async function edited(e: { manifestPath: string }, text: string) {
  const contentPath = path.join(dir, `edited-${++n}`)
  await writeFile(contentPath, text)
  return verifyExport({ contentPath, manifestPath: e.manifestPath, keys })
}

/** JSON Lines text as lines (the last LF dropped), and back. */
const lines = (text: string) => text.split('\n').slice(0, -1)
const join = (ls: string[]) => `${ls.join('\n')}\n`

t.test('intact exports verify in every format', async (t) => {
  for (const format of ['jsonl', 'csv', 'ocsf'] as const) {
    const e = await exported(format)
    const report = await verifyExport({ contentPath: e.contentPath, manifestPath: e.manifestPath, keys })
    t.match(report, { intact: true, subject: 'export', checked: { events: 60, signatures: 1 }, firstBroken: undefined }, format)
    t.equal(report.notes.length, format === 'ocsf' ? 1 : 0, `${format}: notes on what was not checkable`)
  }
  const filtered = await exported('jsonl', { actorId: 'sato' })
  const report = await verifyExport({ contentPath: filtered.contentPath, manifestPath: filtered.manifestPath, keys })
  t.match(report, { intact: true, checked: { events: log.filter((x) => x.metadata.actor.id === 'sato').length } })
  t.match(report.notes, [/filtered \(actorId\)/])
})

t.test('JSON Lines: one byte, one hash, one line, one forgery, one extra byte', async (t) => {
  const e = await exported('jsonl')
  const ls = lines(e.text)
  const at17 = log[16] as StoredEvent

  const byte = [...ls]
  byte[16] = (byte[16] ?? '').replace('"n":16', '"n":61')
  t.not(byte[16], ls[16])
  t.match(await edited(e, join(byte)), { intact: false, firstBroken: { kind: 'CONTENT_CHANGED', line: 17, position: 17, streamId: at17.streamId, streamVersion: at17.streamVersion, eventId: at17.eventId, expected: at17.hash } }, 'an edited byte names the event')

  const hash = [...ls]
  hash[29] = (hash[29] ?? '').replace(/"hash":"(.)/, (_m, c: string) => `"hash":"${c === '0' ? '1' : '0'}`)
  t.match(await edited(e, join(hash)), { firstBroken: { kind: 'CONTENT_CHANGED', line: 30, position: 30 } }, 'an edited hash')

  t.match(await edited(e, join(ls.filter((_l, i) => i !== 40))), { firstBroken: { kind: 'GAP', line: 41, position: 42, expected: '41', actual: '42', message: /position 41 missing/ } }, 'a removed line is a gap')
  t.match(await edited(e, join(ls.slice(0, -1))), { firstBroken: { kind: 'GAP', position: 60, message: /positions 60–60 missing at the end/ } }, 'so is the last line')
  const two = ls.filter((_l, i) => i !== 9).map((l, i) => (i === 20 ? l.replace('"n":', '"n":1') : l))
  t.match(await edited(e, join(two)), { firstBroken: { kind: 'GAP', position: 11, expected: '10' }, checked: { events: 9 } }, 'of two breaks, the first in the file is reported, with the events checked before it')
  t.match(await edited(e, join([...ls.slice(0, 10), ls[9] ?? '', ...ls.slice(10)])), { firstBroken: { kind: 'MALFORMED', line: 11, message: /positions must increase/ } }, 'a repeated line')

  // A forger changes event 20 and re-computes its hash: the event checks out alone, the link to 21 does not.
  const forged = [...ls]
  const ev = JSON.parse(ls[19] ?? '') as StoredEvent
  const changed = { ...ev, data: { ...ev.data, n: 999 } }
  changed.hash = chainHash(changed.prevHash, changed.position, contentHash(changed))
  forged[19] = JSON.stringify(changed)
  t.match(await edited(e, join(forged)), { firstBroken: { kind: 'CHAIN_BROKEN', line: 21, position: 21, expected: changed.hash, actual: ev.hash } }, 'a re-hashed forgery breaks the next link')

  t.match(await edited(e, `${e.text} `), { firstBroken: { kind: 'MALFORMED', line: 61 } }, 'a stray byte after the last line')
  t.match(await edited(e, e.text.replace('{"agencyId"', '{ "agencyId"')), { firstBroken: { kind: 'MANIFEST_MISMATCH', message: /length in bytes/ } }, 'whitespace changes no event, but the bytes')
  t.match(await edited(e, 'not json\n'), { firstBroken: { kind: 'MALFORMED', line: 1 } })
})

t.test('CSV: a byte of the data, a column that contradicts the event, a line, the time written with another offset', async (t) => {
  const e = await exported('csv')
  const at8 = log[7] as StoredEvent
  const quoted = (s: string) => `"${s.replace(/"/g, '""')}"`
  t.ok(e.text.includes(`,${quoted(canonicalJson(at8.data))},`), 'the data column is canonical JSON, quoted')
  t.match(await edited(e, e.text.replace(`,${quoted(canonicalJson(at8.data))},`, `,${quoted(canonicalJson(at8.data).replace('"n":7', '"n":8'))},`)),
    { firstBroken: { kind: 'CONTENT_CHANGED', line: 9, position: 8 } }, 'an edited data byte names the event and its line')
  const rows = e.text.split('\r\n')
  const row12 = rows.findIndex((r) => r.startsWith('mof,12,'))
  t.ok(row12 > 0)
  const lied = [...rows]
  lied[row12] = (lied[row12] ?? '').replace(/^(mof,12,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,)([^,]+)/, '$1mallory')
  t.not(lied[row12], rows[row12])
  t.match(await edited(e, lied.join('\r\n')), { firstBroken: { kind: 'CONTENT_CHANGED', position: 12, expected: (log[11] as StoredEvent).metadata.actor.id, actual: 'mallory', message: /column actor_id/ } },
    'a convenience column edited alone is caught although the hash does not cover it')
  t.match(await edited(e, rows.filter((r) => !r.startsWith('mof,30,')).join('\r\n')), { firstBroken: { kind: 'GAP', position: 31, expected: '30' } }, 'a removed line is a gap')
  const twoBreaks = rows.filter((r) => !r.startsWith('mof,30,')).map((r) => (r.startsWith('mof,40,') ? r.replace(/^(mof,40,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,)([^,]+)/, '$1mallory') : r))
  t.match(await edited(e, twoBreaks.join('\r\n')), { firstBroken: { kind: 'GAP', position: 31 }, checked: { events: 29 } }, 'the first break in the file is the one reported')
  const utc = e.text.replace(/(mof,5,)([^,]+)/, (_m, head: string, time: string) => `${head}${new Date(time).toISOString()}`)
  t.not(utc, e.text)
  t.match(await edited(e, utc), { firstBroken: { kind: 'MANIFEST_MISMATCH', message: /length in bytes|SHA-256/ } }, 'the same instant with another offset passes every event check; only the bytes differ')
  t.match(await edited(e, e.text.replace('agency_id,position', 'agency,position')), { firstBroken: { kind: 'MALFORMED', line: 1, message: /header/ } })
})

t.test('OCSF: links, gaps and row consistency are checked; an edited mapped field only by the SHA-256', async (t) => {
  const e = await exported('ocsf')
  const ls = lines(e.text)
  const hash = [...ls]
  const row = JSON.parse(ls[9] ?? '') as { unmapped: { hash: string } }
  row.unmapped.hash = 'f'.repeat(64)
  hash[9] = JSON.stringify(row)
  t.match(await edited(e, join(hash)), { firstBroken: { kind: 'CHAIN_BROKEN', line: 11, position: 11, expected: 'f'.repeat(64) } }, 'an edited hash breaks the next link')
  t.match(await edited(e, join(ls.filter((_l, i) => i !== 3))), { firstBroken: { kind: 'GAP', position: 5, expected: '4' } })
  const time = [...ls]
  time[2] = (time[2] ?? '').replace(/"time":(\d)/, (_m, d: string) => `"time":${d === '1' ? '2' : '1'}`)
  t.match(await edited(e, join(time)), { firstBroken: { kind: 'CONTENT_CHANGED', line: 3, message: /time differs/ } }, 'time and metadata.original_time must agree')
  const actor = [...ls]
  actor[5] = (actor[5] ?? '').replace(/"uid":"(sato|tanaka|suzuki)"/, (m) => m.toUpperCase()) // same length: only the digest can tell
  t.not(actor[5], ls[5])
  t.match(await edited(e, join(actor)), { firstBroken: { kind: 'MANIFEST_MISMATCH', message: /SHA-256/ } }, 'an edited actor: the file no longer matches the manifest')
})

t.test('a filtered export: a removed line shows as a count mismatch', async (t) => {
  const e = await exported('jsonl', { entityType: 'INCIDENT', entityId: 'INC-1' })
  const ls = lines(e.text)
  t.match(await edited(e, join(ls.filter((_l, i) => i !== 2))), { firstBroken: { kind: 'MANIFEST_MISMATCH', expected: String(ls.length), actual: String(ls.length - 1), message: /event count/ } })
})

t.test('the manifest: altered, unknown key, not JSON', async (t) => {
  const e = await exported('jsonl', { toPosition: 20 })
  const manifest = JSON.parse(await readFile(e.manifestPath, 'utf8')) as Record<string, unknown>
  const altered = path.join(dir, 'altered.manifest.json')
  await writeFile(altered, JSON.stringify({ ...manifest, eventCount: 19 }))
  t.match(await verifyExport({ contentPath: e.contentPath, manifestPath: altered, keys }), { intact: false, firstBroken: { kind: 'BAD_SIGNATURE' }, checked: { events: 0 } })
  const other = generateSigner()
  t.match(await verifyExport({ contentPath: e.contentPath, manifestPath: e.manifestPath, keys: [{ keyId: other.keyId, algorithm: 'Ed25519', publicKeyPem: other.publicKeyPem }] }),
    { firstBroken: { kind: 'UNKNOWN_KEY', actual: signer.keyId } })
  t.match(await verifyExport({ contentPath: e.contentPath, manifestPath: e.manifestPath, keys: [{ keyId: signer.keyId, algorithm: 'Ed25519', publicKeyPem: other.publicKeyPem }] }),
    { firstBroken: { kind: 'UNKNOWN_KEY' } }, 'a key labelled with another key\'s id is not that key')
  await writeFile(altered, 'nope')
  t.match(await verifyExport({ contentPath: e.contentPath, manifestPath: altered, keys }), { firstBroken: { kind: 'MALFORMED', message: /not JSON/ } })
  t.match(await verifyExport({ contentPath: e.contentPath, manifestPath: e.manifestPath, keys }), { intact: true, checked: { events: 20 } })
  const full = await exported('jsonl')
  t.match(await edited(e, `${e.text}${lines(full.text)[20] ?? ''}\n`), { firstBroken: { kind: 'MANIFEST_MISMATCH', line: 21, position: 21, expected: '1–20' } }, 'a row from outside the covered positions')
})

// `npm run admin -- verify`: what it reads and reports is checked in process (the keys and digests saved from
// the service, an export written as `admin export` writes it, a tampered database); three real runs of the
// CLI, side by side, check the exit codes and the printed report: 0 intact, 1 broken, 2 usage error.
import { execFile } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { registerAgency } from '../../src/application/agencies.js'
import { systemClock } from '../../src/application/context.js'
import { listDigests, readDigestsFile, sealAgencyNow } from '../../src/audit-trail/digests.js'
import { exportToFile } from '../../src/audit-trail/export.js'
import { listKeys, readKeysFile } from '../../src/audit-trail/keys.js'
import { normaliseFilter } from '../../src/audit-trail/reader.js'
import { signerFromPrivateKey } from '../../src/audit-trail/signing.js'
import { verifyDatabase } from '../../src/audit-trail/verify-database.js'
import { verifyExport } from '../../src/audit-trail/verify-export.js'
import type { VerifyReport } from '../../src/audit-trail/verify-report.js'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { appendEvents, withTriggersOff } from '../audit-trail/seed-events.js'
import { freshDatabase } from '../helpers/db.js'

const run = promisify(execFile)
const tsx = path.resolve('node_modules/.bin/tsx')

const db = await freshDatabase(t)
const pool = db.app.pool
const store = new PostgresEventStore(pool)
const dir = mkdtempSync(path.join(tmpdir(), 'cli-verify-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const privateKeyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const signer = signerFromPrivateKey(privateKeyPem)
const env = { ...process.env, DATABASE_URL: db.url, DATA_DIR: dir, AUDIT_SIGNING_KEY: privateKeyPem, LOG_LEVEL: 'warn' }
const file = (name: string) => path.join(dir, name)

interface Ran { code: number; stdout: string; stderr: string }
async function admin(...args: string[]): Promise<Ran> {
  try {
    const { stdout, stderr } = await run(tsx, ['src/cli/admin.ts', ...args], { env })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

for (const id of ['mic', 'mof']) {
  await registerAgency(store, systemClock, { agencyId: id, name: id, kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' }, 'test', { correlationId: 'c', source: 'cli' })
  await appendEvents(store, id, 19)
  await sealAgencyNow(pool, signer, id, new Date(), { maxEvents: 8 })
}
// What GET /api/audit-trail/keys answers, saved to a file; the bare PEM; mof's digests saved in two pages, one after the other.
writeFileSync(file('keys.json'), JSON.stringify({ keys: await listKeys(pool), current: signer.keyId }))
writeFileSync(file('key.pem'), signer.publicKeyPem)
const page1 = await listDigests(pool, 'mof', 2)
const page2 = await listDigests(pool, 'mof', 2, 2)
const body = (p: typeof page1) => ({ items: p.items, pageInfo: { hasNextPage: p.hasNextPage, endCursor: p.items.at(-1)?.seq.toString() ?? null } })
writeFileSync(file('mof-digests.json'), `${JSON.stringify(body(page1), null, 2)}\n${JSON.stringify(body(page2), null, 2)}\n`)
// mof's log as `admin export --format jsonl` writes it, and a copy with one character of a title changed (event n = 7, position 9).
const filter = normaliseFilter('mof', {}, 'options')
await exportToFile({ pool, signer }, { filter, format: 'jsonl', createdBy: 'admin-cli', now: new Date() }, file('mof.jsonl'))
writeFileSync(file('edited.jsonl'), readFileSync(file('mof.jsonl'), 'utf8').replace('件名 7,', '件名 8,'))

t.test('verify database with the saved keys and digests: intact, every saved digest found unchanged', async (t) => {
  const report = await verifyDatabase(pool, { keys: readKeysFile(file('keys.json')), savedDigests: readDigestsFile(file('mof-digests.json')) })
  t.match(report, { intact: true, subject: 'database', checked: { agencies: 2, events: 40, digests: 6, signatures: 6 + 3 } })
  t.match(report.notes, [/3 saved digests compared with the database/])
  t.notOk(report.notes.some((n) => n.includes('signing_keys')), 'the keys came from the file')
})

t.test('verify an export file: intact with the PEM key, then one character changed: CONTENT_CHANGED at that line and position', async (t) => {
  const manifestPath = file('mof.jsonl.manifest.json')
  t.match(await verifyExport({ contentPath: file('mof.jsonl'), manifestPath, keys: readKeysFile(file('key.pem')) }), { intact: true, checked: { events: 20, signatures: 1 } })
  const [target] = await store.readAgency('mof', 8, 1)
  const broken = await verifyExport({ contentPath: file('edited.jsonl'), manifestPath, keys: readKeysFile(file('keys.json')) })
  t.match(broken, { intact: false, subject: 'export', firstBroken: { kind: 'CONTENT_CHANGED', agencyId: 'mof', position: 9, line: 9, streamId: target?.streamId, expected: target?.hash } })
})

t.test('the CLI: exit 0 intact, 1 broken (the first broken link printed), 2 usage error', async (t) => {
  const [intact, broken, usage] = await Promise.all([
    admin('verify', 'database', '--keys', file('keys.json'), '--digests', file('mof-digests.json')),
    admin('verify', file('edited.jsonl'), '--manifest', file('mof.jsonl.manifest.json'), '--keys', file('keys.json')),
    admin('verify', 'database', '--agency', 'mof', '--agency', 'nobody'),
  ])
  t.equal(intact.code, 0, intact.stderr)
  t.match(intact.stdout, /^verify database: INTACT\n\s+checked: 2 agencies, 40 events, 6 digests, 9 signatures\n\s+note: 3 saved digests compared with the database\n/)

  t.equal(broken.code, 1, broken.stderr)
  t.match(broken.stdout, /^verify .*edited\.jsonl: BROKEN\n\s+first broken link: +CONTENT_CHANGED\n\s+agency: +mof\n\s+position: +9\n\s+line: +9\n/)

  t.equal(usage.code, 2)
  t.equal(usage.stdout, '')
  t.match(usage.stderr, /^error: no agency nobody in this database \(no events, head, digests or registration\): check the id, or leave out --agency to check every agency\n$/)
})

t.test('a superuser changes an event: the verifier names it, with the saved keys and digests as the CLI reads them', async (t) => {
  const [target] = await store.readAgency('mof', 11, 1)
  await withTriggersOff(db.owner.pool, 'events', (c) => c.query(`UPDATE events SET data = data || '{"n": -1}' WHERE agency_id = 'mof' AND agency_position = 12`))
  const report: VerifyReport = await verifyDatabase(pool, { keys: readKeysFile(file('keys.json')), savedDigests: readDigestsFile(file('mof-digests.json')) })
  t.match(report, { intact: false, firstBroken: { kind: 'CONTENT_CHANGED', agencyId: 'mof', position: 12, streamId: target?.streamId, streamVersion: target?.streamVersion, expected: target?.hash } })
  t.match(await verifyDatabase(pool, { agencyIds: ['mic'] }), { intact: true }, 'mic alone is intact')
})

// The database verifier on an intact log: every agency checked with the right counts, digests and
// signatures; the unsealed tail noted; one agency at a time (and an agency that does not exist refused); the
// keys and saved digests it trusts; a registered agency with no log at all; progress; and a walk that
// appends during it cannot mistake for a broken head (one snapshot per agency).
import t from 'tap'
import type pg from 'pg'
import { registerAgency } from '../../src/application/agencies.js'
import { systemClock } from '../../src/application/context.js'
import { listDigests, sealAgencyNow, type Digest } from '../../src/audit-trail/digests.js'
import { generateSigner } from '../../src/audit-trail/signing.js'
import { verifyDatabase, VerifyInputError, type VerifyProgress } from '../../src/audit-trail/verify-database.js'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { freshDatabase } from '../helpers/db.js'
import { appendEvents } from './seed-events.js'

const db = await freshDatabase(t)
const pool = db.app.pool
const store = new PostgresEventStore(pool)
const signer = generateSigner()
const agency = (id: string) => registerAgency(store, systemClock, { agencyId: id, name: id, kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' }, 'test', { correlationId: 'c', source: 'cli' })
const now = new Date('2026-07-01T00:00:00.000Z')

const empty = await verifyDatabase(pool)
// a: 26 events, all sealed in 3 digests; b: 13 events, 6 sealed, 7 not; c: 4 events, none sealed.
await agency('a')
await appendEvents(store, 'a', 25)
await sealAgencyNow(pool, signer, 'a', now, { maxEvents: 10 })
await agency('b')
await appendEvents(store, 'b', 5)
await sealAgencyNow(pool, signer, 'b', now)
await appendEvents(store, 'b', 7)
await agency('c')
await appendEvents(store, 'c', 3)

t.test('an empty database is intact', async (t) => {
  t.match(empty, { intact: true, subject: 'database', checked: { events: 0, agencies: 0, digests: 0, signatures: 0 }, firstBroken: undefined })
})

t.test('an intact log: every agency, event, digest and signature checked; the unsealed tails noted', async (t) => {
  const report = await verifyDatabase(pool)
  t.match(report, { intact: true, subject: 'database', checked: { events: 26 + 13 + 4, agencies: 3, digests: 4, signatures: 4 }, firstBroken: undefined })
  t.match(report.notes, [/signing_keys/, /no saved digests given \(--digests\)/, /agency b: positions 7–13 are not sealed/, /agency c: positions 1–4 are not sealed/])
  t.equal(report.notes.length, 4, 'a is sealed to its head')
})

t.test('only the agencies asked for; one that does not exist is a usage error, not "intact"', async (t) => {
  t.match(await verifyDatabase(pool, { agencyIds: ['b'] }), { intact: true, checked: { events: 13, agencies: 1, digests: 1 } })
  await t.rejects(verifyDatabase(pool, { agencyIds: ['b', 'nobody'] }), { name: 'VerifyInputError', message: /^no agency nobody in this database \(no events, head, digests or registration\): check the id/ })
  t.ok((await verifyDatabase(pool, { agencyIds: ['nobody'] }).catch((err: unknown) => err)) instanceof VerifyInputError)
})

t.test('saved digests: checked with the agency they are of; of an agency not asked for, or two different ones with one seq, a usage error', async (t) => {
  const saved = (await listDigests(pool, 'a', 100)).items
  t.match(await verifyDatabase(pool, { agencyIds: ['a'], savedDigests: saved }), { intact: true, checked: { signatures: 6 }, notes: [/signing_keys/, /3 saved digests compared with the database/] })
  t.match(await verifyDatabase(pool, { savedDigests: saved }), { intact: true, checked: { agencies: 3 } }, 'every agency, a with its saved digests')
  await t.rejects(verifyDatabase(pool, { agencyIds: ['b'], savedDigests: saved }), { name: 'VerifyInputError', message: /saved digests are of agency a, which is not among the agencies asked for \(b\)/ })
  const other = { ...(saved[0] as Digest), digestHash: 'f'.repeat(64) }
  await t.rejects(verifyDatabase(pool, { savedDigests: [...saved, other] }), { name: 'VerifyInputError', message: /two different digests 1 of agency a/ })
})

t.test('signatures are checked against the keys given: the right one, another one, a mislabelled one', async (t) => {
  const right = await verifyDatabase(pool, { keys: [{ keyId: signer.keyId, algorithm: 'Ed25519', publicKeyPem: signer.publicKeyPem }] })
  t.match(right, { intact: true, checked: { signatures: 4 } })
  t.notOk(right.notes.some((n) => n.includes('signing_keys')), 'no note about trusting the database')
  const other = generateSigner()
  t.match(await verifyDatabase(pool, { keys: [{ keyId: other.keyId, algorithm: 'Ed25519', publicKeyPem: other.publicKeyPem }] }), {
    intact: false, firstBroken: { kind: 'UNKNOWN_KEY', agencyId: 'a', digestSeq: 1, position: 1, actual: signer.keyId },
  })
  const mislabelled = await verifyDatabase(pool, { keys: [{ keyId: signer.keyId, algorithm: 'Ed25519', publicKeyPem: other.publicKeyPem }] })
  t.match(mislabelled.firstBroken, { kind: 'UNKNOWN_KEY' }, 'a key is known by the id its PEM gives, not the id it claims')
})

t.test('progress per batch, up to each agency head', async (t) => {
  const seen: VerifyProgress[] = []
  await verifyDatabase(pool, { batchSize: 7, onProgress: (p) => seen.push({ ...p }) })
  const last = (id: string) => seen.filter((p) => p.agencyId === id).at(-1)
  t.same([last('a'), last('b'), last('c')], [{ agencyId: 'a', events: 26, total: 26 }, { agencyId: 'b', events: 13, total: 13 }, { agencyId: 'c', events: 4, total: 4 }])
  t.same(seen.filter((p) => p.agencyId === 'a').map((p) => p.events), [7, 14, 21, 26])
})

t.test('an agency registered (agencies read model) whose whole log, head and digests were deleted: GAP at position 1; one known only from saved digests too', async (t) => {
  await db.owner.pool.query(`INSERT INTO agencies (agency_id, name, kind, registered_at) VALUES ('ghost', 'ghost', 'NATIONAL_ADMINISTRATIVE_ORGAN', now())`)
  t.teardown(() => db.owner.pool.query(`DELETE FROM agencies WHERE agency_id = 'ghost'`))
  const gap = { kind: 'GAP', agencyId: 'ghost', position: 1, actual: 'no events', message: /agency ghost has no events although it is registered \(agencies\): its whole log was deleted/ }
  t.match(await verifyDatabase(pool, { agencyIds: ['ghost'] }), { intact: false, firstBroken: gap })
  t.match(await verifyDatabase(pool), { intact: false, checked: { agencies: 4 } }, 'found without being asked for')
  const saved = (await listDigests(pool, 'a', 100)).items.map((d) => ({ ...d, agencyId: 'vanished' }))
  t.match((await verifyDatabase(pool, { agencyIds: ['vanished'], savedDigests: saved })).firstBroken, { kind: 'GAP', agencyId: 'vanished', position: 1, message: /digests seal its events/ })
})

t.test('events appended while an agency is walked are outside its snapshot, not a broken head', async (t) => {
  // The verifier's connection: after its first read of events, an append commits on another connection.
  let appended = false
  const racing = {
    query: pool.query.bind(pool),
    connect: async () => {
      const client = await pool.connect()
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>
      const wrapped = async (...args: unknown[]) => {
        const result = await query(...args)
        if (!appended && String(args[0]).includes('FROM events')) {
          appended = true
          await appendEvents(store, 'c', 5)
        }
        return result
      }
      return Object.assign(Object.create(client) as pg.PoolClient, { query: wrapped, release: () => client.release() })
    },
  } as unknown as pg.Pool
  const report = await verifyDatabase(racing, { agencyIds: ['c'], batchSize: 2 })
  t.ok(appended, 'the append happened during the walk')
  t.match(report, { intact: true, checked: { events: 4 } }, 'the walk saw the log as of its snapshot')
  t.match(await verifyDatabase(pool, { agencyIds: ['c'] }), { intact: true, checked: { events: 9 } })
})

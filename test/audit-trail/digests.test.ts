// Digest sealing: ranges in chunks, chained and signed; a second pass and an idle log seal nothing; the
// interval is kept by the injected clock; two sealers at once never fork the chain; append-only rows;
// a broken log is refused, not sealed; the scheduler seals under its lease; events left unsealed past two
// passes that were due to seal them (a removed newest digest) are refused too.
import { createHash, randomUUID } from 'node:crypto'
import t from 'tap'
import { registerAgency } from '../../src/application/agencies.js'
import { systemClock } from '../../src/application/context.js'
import { sealAgencyNow, sealDigests, DigestSealError, type Digest } from '../../src/audit-trail/digests.js'
import { merkleRoot } from '../../src/audit-trail/merkle.js'
import { generateSigner, verifySignature } from '../../src/audit-trail/signing.js'
import { verifyDatabase } from '../../src/audit-trail/verify-database.js'
import { canonicalJson, GENESIS_HASH } from '../../src/eventstore/hash.js'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { Scheduler } from '../../src/scheduler/scheduler.js'
import { freshDatabase } from '../helpers/db.js'
import { silentLogger } from '../helpers/logger.js'
import { appendEvents, rechain, withTriggersOff } from './seed-events.js'

const db = await freshDatabase(t)
const pool = db.app.pool
const store = new PostgresEventStore(pool)
const signer = generateSigner()
const agency = (id: string) => registerAgency(store, systemClock, { agencyId: id, name: id, kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' }, 'test', { correlationId: 'c', source: 'cli' })
const hashes = async (agencyId: string, from: number, to: number) =>
  (await store.readAgency(agencyId, from - 1, to - from + 1)).map((e) => Buffer.from(e.hash, 'hex'))
const stored = async (agencyId: string) => (await pool.query('SELECT seq, first_position, last_position FROM audit_digests WHERE agency_id = $1 ORDER BY seq', [agencyId])).rows
const T0 = new Date('2026-07-01T00:00:00.000Z')
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)

t.test('a backlog is sealed in chunks of at most maxEvents, chained and signed, its root over the stored hashes', async (t) => {
  await agency('mof') // 1 event
  await appendEvents(store, 'mof', 24)
  const sealed = await sealAgencyNow(pool, signer, 'mof', T0, { maxEvents: 10, batchSize: 4 })
  t.same(sealed.map((d) => [d.seq, d.firstPosition, d.lastPosition, d.eventCount]), [[1, 1, 10, 10], [2, 11, 20, 10], [3, 21, 25, 5]])
  t.equal(sealed[0]?.previousDigestHash, GENESIS_HASH, 'the first digest chains to genesis')
  t.equal(sealed[1]?.previousDigestHash, sealed[0]?.digestHash)
  t.equal(sealed[2]?.previousDigestHash, sealed[1]?.digestHash)
  for (const d of sealed) {
    const hs = await hashes('mof', d.firstPosition, d.lastPosition)
    t.equal(d.merkleRoot, merkleRoot(hs).toString('hex'), `digest ${d.seq}: the Merkle root of its events`)
    t.equal(d.firstEventHash, hs[0]?.toString('hex'))
    t.equal(d.lastEventHash, hs.at(-1)?.toString('hex'))
    const { digestHash, signature, ...body } = d
    t.same(Object.keys(body).sort(), ['agencyId', 'createdAt', 'eventCount', 'firstEventHash', 'firstPosition', 'keyId', 'lastEventHash', 'lastPosition', 'merkleRoot', 'previousDigestHash', 'seq', 'version'])
    t.equal(digestHash, createHash('sha256').update(canonicalJson(body)).digest('hex'), 'digestHash = SHA-256 of the canonical body')
    t.ok(verifySignature(signer.publicKeyPem, canonicalJson(body), signature), 'the signature verifies with the public key')
    t.notOk(verifySignature(signer.publicKeyPem, canonicalJson({ ...body, eventCount: d.eventCount + 1 }), signature))
  }
  t.same(await stored('mof'), sealed.map((d) => ({ seq: d.seq, first_position: d.firstPosition, last_position: d.lastPosition })), 'the rows are what was returned')
  const keys = await pool.query('SELECT key_id, public_key_pem FROM signing_keys')
  t.same(keys.rows, [{ key_id: signer.keyId, public_key_pem: signer.publicKeyPem }], 'the key was registered before it signed')
})

t.test('a second pass, and a pass with nothing new, seal nothing', async (t) => {
  t.same(await sealAgencyNow(pool, signer, 'mof', T0), [])
  t.same(await sealDigests(pool, signer, later(600), { intervalMs: 0 }), [], 'every agency is sealed up to its head')
  t.equal((await stored('mof')).length, 3)
})

t.test('the interval: an agency is sealed again only once its last digest is that old; a new agency at once', async (t) => {
  await appendEvents(store, 'mof', 3)
  await agency('mic')
  const first = await sealDigests(pool, signer, later(30), { intervalMs: 3_600_000 })
  t.same(first.map((d) => [d.agencyId, d.seq, d.firstPosition, d.lastPosition]), [['mic', 1, 1, 1]], 'mof sealed at T0 waits; mic has no digest')
  t.same(await sealDigests(pool, signer, later(59), { intervalMs: 3_600_000 }), [])
  const due = await sealDigests(pool, signer, later(60), { intervalMs: 3_600_000 })
  t.same(due.map((d) => [d.agencyId, d.seq, d.firstPosition, d.lastPosition]), [['mof', 4, 26, 28]])
  t.equal(due[0]?.createdAt, later(60).toISOString(), 'createdAt is the injected now')
  t.same(await sealDigests(pool, signer, later(200), { intervalMs: 3_600_000 }), [], 'nothing new since')
})

t.test('two sealers at once: one digest per range, the chain does not fork, the loser is not an error', async (t) => {
  await appendEvents(store, 'mof', 40)
  const other = generateSigner()
  const [a, b] = await Promise.all([
    sealAgencyNow(pool, signer, 'mof', later(300), { maxEvents: 10, batchSize: 100 }),
    sealAgencyNow(pool, other, 'mof', later(300), { maxEvents: 10, batchSize: 1 }),
  ])
  const rows = (await pool.query('SELECT seq, first_position, last_position, previous_digest_hash, digest_hash FROM audit_digests WHERE agency_id = $1 ORDER BY seq', ['mof'])).rows
  t.same(rows.map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7, 8])
  t.equal(rows.at(-1)?.last_position, 68)
  for (let i = 1; i < rows.length; i++) {
    t.equal(rows[i].first_position, rows[i - 1].last_position + 1)
    t.same(rows[i].previous_digest_hash, rows[i - 1].digest_hash)
  }
  t.same([...a, ...b].map((d: Digest) => d.seq).sort(), [5, 6, 7, 8], 'each new range sealed once between them')
})

t.test('digests are append-only, for the runtime role and (through the trigger) the owner', async (t) => {
  await t.rejects(pool.query("UPDATE audit_digests SET key_id = 'x' WHERE agency_id = 'mof'"))
  await t.rejects(pool.query("DELETE FROM audit_digests WHERE agency_id = 'mof'"))
  await t.rejects(db.owner.pool.query("UPDATE audit_digests SET key_id = 'x' WHERE agency_id = 'mof'"), /append-only/)
  await t.rejects(db.owner.pool.query('TRUNCATE audit_digests'), /append-only/)
  await t.rejects(db.owner.pool.query('DELETE FROM signing_keys'), /append-only/)
  t.equal((await stored('mof')).length, 8)
})

t.test('a log with a gap below the head is not sealed; the other agencies still are', async (t) => {
  await agency('mhlw')
  await appendEvents(store, 'mhlw', 6)
  await appendEvents(store, 'mic', 2)
  await withTriggersOff(db.owner.pool, 'events', (c) => c.query("DELETE FROM events WHERE agency_id = 'mhlw' AND agency_position = 4"))
  await t.rejects(sealAgencyNow(pool, signer, 'mhlw', later(400)), DigestSealError)
  await t.rejects(sealAgencyNow(pool, signer, 'mhlw', later(400)), /position 4 is missing/)
  const failed: string[] = []
  const sealed = await sealDigests(pool, signer, later(400), { intervalMs: 0, onError: (agencyId) => failed.push(agencyId) })
  t.same(failed, ['mhlw'])
  t.same(sealed.map((d) => [d.agencyId, d.firstPosition, d.lastPosition]), [['mic', 2, 3]])
  t.same(await stored('mhlw'), [])
})

t.test('the scheduler seals in its pass when it has a signer, at the interval', async (t) => {
  await agency('env')
  await appendEvents(store, 'env', 4)
  let now = later(1000)
  const services = { store, clock: { now: () => now }, pool }
  t.match(await new Scheduler({ services, logger: silentLogger, owner: 'no-signer' }).tick(), { digestsSealed: 0 }, 'no signer, no digests')
  const scheduler = new Scheduler({ services, logger: silentLogger, owner: 'sealer', signer, digestIntervalMs: 3_600_000 })
  t.match(await scheduler.tick(), { digestsSealed: 1 }, 'env (mhlw is refused and logged)')
  const env = await stored('env')
  t.same(env.map((r) => [r.first_position, r.last_position]), [[1, 5]])
  await appendEvents(store, 'env', 1)
  t.match(await scheduler.tick(), { digestsSealed: 0 }, 'within the interval')
  now = later(1061)
  t.match(await scheduler.tick(), { digestsSealed: 1 })
})

t.test('the overdue rule: events that were due at two earlier passes and are unsealed mean a removed digest; not sealed, and the verifier says so', async (t) => {
  // Real recording times (R) and sealing passes hours after them, as the scheduler would run.
  const R = Date.now()
  const at = (hours: number, minutes = 0) => new Date(R + hours * 3_600_000 + minutes * 60_000)
  const failed: [string, string][] = []
  const onError = (agencyId: string, err: unknown) => failed.push([agencyId, String(err)])
  const appendAt = async (agencyId: string, when: Date) => {
    const outcome = await store.append({ agencyId, streamId: `thing-${when.getTime()}`, streamType: 'thing', expectedVersion: 0, recordedAt: when.toISOString(),
      events: [{ eventId: randomUUID(), type: 'ThingCreated', schemaVersion: 1, data: { n: 0 }, metadata: { actor: { id: 'sato', roles: ['CISO'] }, correlationId: 'c', source: 'api', commandType: 'DoThing' } }] })
    t.equal(outcome.outcome, 'appended')
  }
  const ours = (ds: Digest[], id: string) => ds.filter((d) => d.agencyId === id).map((d) => [d.seq, d.firstPosition, d.lastPosition])

  await agency('tip')
  await appendEvents(store, 'tip', 9)
  t.same(ours(await sealAgencyNow(pool, signer, 'tip', at(0, 1)), 'tip'), [[1, 1, 10]])
  await appendEvents(store, 'tip', 5)
  t.same(ours(await sealDigests(pool, signer, at(2), { intervalMs: 3_600_000, onError }), 'tip'), [[2, 11, 15]], 'sealed in the next pass')

  // A pass cut short (only busy sealed) is one pass: 'late', whose event was due then, is still sealed after it.
  await agency('late')
  await agency('busy')
  await sealAgencyNow(pool, signer, 'busy', at(5))
  t.same(ours(await sealDigests(pool, signer, at(5, 5), { intervalMs: 3_600_000, onError }), 'late'), [[1, 1, 1]], 'one pass that missed it proves nothing')
  await appendAt('busy', at(5, 30))
  t.same(ours(await sealDigests(pool, signer, at(6, 10), { intervalMs: 3_600_000, onError }), 'busy'), [[2, 2, 2]], 'an event recorded since is sealed')

  // The forger removes tip's newest digest and rewrites its events, chain and head included.
  await withTriggersOff(db.owner.pool, 'audit_digests', (c) => c.query("DELETE FROM audit_digests WHERE agency_id = 'tip' AND seq = 2"))
  await withTriggersOff(db.owner.pool, 'events', async (c) => {
    await c.query(`UPDATE events SET data = jsonb_set(data, '{title}', '"forged"') WHERE agency_id = 'tip' AND agency_position = 12`)
    await rechain(c, 'tip', 12)
  })
  failed.length = 0
  const sealed = await sealDigests(pool, signer, at(7), { intervalMs: 3_600_000, onError })
  t.same(ours(sealed, 'tip'), [], 'the forgery is not sealed')
  t.same(failed.map(([id]) => id).filter((id) => id === 'tip'), ['tip'])
  t.match(failed.find(([id]) => id === 'tip')?.[1], /DigestSealError: agency tip: position 11 \(recorded .*\) is not sealed, though it was due at the sealing passes of .* and .*: the digest that sealed it was probably removed.*verify database --digests/)
  t.same(await stored('tip'), [{ seq: 1, first_position: 1, last_position: 10 }])
  await t.rejects(sealAgencyNow(pool, signer, 'tip', at(7)), DigestSealError, 'an operator\'s seal is refused too')

  const report = await verifyDatabase(pool, { agencyIds: ['tip'], now: at(7), digestIntervalMs: 3_600_000 })
  t.match(report.firstBroken, { kind: 'DIGEST_CHAIN_BROKEN', agencyId: 'tip', position: 11, digestSeq: 2, actual: 'no such digest', message: /position 11 .* probably removed/ })
  t.match(await verifyDatabase(pool, { agencyIds: ['tip'], now: at(7), digestIntervalMs: 6 * 3_600_000 }), { intact: true }, 'with a longer interval the events were not due yet')

  t.same(ours(await sealAgencyNow(pool, signer, 'tip', at(8), { acceptOverdue: true }), 'tip'), [[2, 11, 15]], 'acceptOverdue seals (after a check against saved digests)')
})

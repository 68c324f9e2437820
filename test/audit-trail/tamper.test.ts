// Tampering as the database superuser (append-only trigger off), and what the verifier names. Each case
// has an agency of its own: 30 events sealed in digests of 10 (1–10, 11–20, 21–30), then 5 unsealed (31–35).
// Digests saved from the service (as GET /api/audit-trail/digests gives them) catch a removed newest digest.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { registerAgency } from '../../src/application/agencies.js'
import { systemClock } from '../../src/application/context.js'
import { listDigests, sealAgencyNow, type Digest } from '../../src/audit-trail/digests.js'
import { generateSigner } from '../../src/audit-trail/signing.js'
import { verifyDatabase } from '../../src/audit-trail/verify-database.js'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { freshDatabase } from '../helpers/db.js'
import { appendEvents, rechain, withTriggersOff } from './seed-events.js'

const db = await freshDatabase(t)
const pool = db.app.pool
const owner = db.owner.pool
const store = new PostgresEventStore(pool)
const signer = generateSigner()
const now = new Date('2026-07-01T00:00:00.000Z')

async function sealedAgency(id: string, unsealed = 5): Promise<void> {
  await registerAgency(store, systemClock, { agencyId: id, name: id, kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' }, 'test', { correlationId: 'c', source: 'cli' })
  await appendEvents(store, id, 29)
  await sealAgencyNow(pool, signer, id, now, { maxEvents: 10 })
  if (unsealed > 0) await appendEvents(store, id, unsealed)
}
const eventAt = async (id: string, position: number) => (await store.readAgency(id, position - 1, 1))[0]
const verify = (id: string) => verifyDatabase(pool, { agencyIds: [id] })
/** What an auditor saved from GET /api/audit-trail/digests before the tampering. */
const saveDigests = async (id: string) => (await listDigests(pool, id, 200)).items

const ids = ['content', 'metadata', 'chain', 'gap', 'gap3', 'widegap', 'beyond', 'last', 'lastfixed', 'rechained', 'renumbered', 'digestrow', 'digesthash', 'digestgone',
  'infdata', 'inftime', 'resealed', 'tipgone', 'intact']
// Rewrites that only the digests saved from the service show (the database's own evidence was rewritten with them).
const onlyWithSaved = ['resealed', 'tipgone']
for (const id of ids) await sealedAgency(id, id === 'last' || id === 'lastfixed' ? 0 : 5)

t.test('before any tampering every agency is intact', async (t) => {
  t.match(await verifyDatabase(pool), { intact: true, checked: { agencies: ids.length, events: 35 * ids.length - 10, digests: 3 * ids.length } })
})

t.test("one event's data changed: the verifier names that event, its stream and version, stored vs recomputed hash", async (t) => {
  const target = await eventAt('content', 12)
  await withTriggersOff(owner, 'events', (c) => c.query(`UPDATE events SET data = jsonb_set(data, '{title}', '"改ざん"') WHERE agency_id = 'content' AND agency_position = 12`))
  const report = await verify('content')
  t.match(report, { intact: false, firstBroken: { kind: 'CONTENT_CHANGED', agencyId: 'content', position: 12, streamId: target?.streamId, streamVersion: target?.streamVersion, eventId: target?.eventId, expected: target?.hash } })
  t.not(report.firstBroken?.actual, target?.hash)
  t.match(report.firstBroken?.message, /position 12 .*was changed/)
  t.equal(report.checked.events, 11, 'the walk stopped at the first broken link')
})

t.test("one event's metadata (who did it) changed: CONTENT_CHANGED at it", async (t) => {
  await withTriggersOff(owner, 'events', (c) => c.query(`UPDATE events SET metadata = jsonb_set(metadata, '{actor,id}', '"someone-else"') WHERE agency_id = 'metadata' AND agency_position = 33`))
  t.match(await verify('metadata'), { firstBroken: { kind: 'CONTENT_CHANGED', position: 33 } }, 'also in the unsealed tail')
})

t.test("an event's prev_hash changed: CHAIN_BROKEN at it", async (t) => {
  await withTriggersOff(owner, 'events', (c) => c.query(`UPDATE events SET prev_hash = $1 WHERE agency_id = 'chain' AND agency_position = 6`, [randomBytes(32)]))
  const previous = await eventAt('chain', 5)
  t.match(await verify('chain'), { firstBroken: { kind: 'CHAIN_BROKEN', position: 6, expected: previous?.hash } })
})

t.test('one event deleted in the middle: GAP names the missing position and the next present event', async (t) => {
  const next = await eventAt('gap', 16)
  await withTriggersOff(owner, 'events', (c) => c.query(`DELETE FROM events WHERE agency_id = 'gap' AND agency_position = 15`))
  const report = await verify('gap')
  t.match(report.firstBroken, { kind: 'GAP', agencyId: 'gap', position: 15, expected: 'position 15', actual: 'position 16' })
  t.match(report.firstBroken?.message, new RegExp(`position 15 is missing .*next present: position 16, stream ${next?.streamId}`))
})

t.test('three events deleted: the gap names the range', async (t) => {
  await withTriggersOff(owner, 'events', (c) => c.query(`DELETE FROM events WHERE agency_id = 'gap3' AND agency_position BETWEEN 3 AND 5`))
  t.match(await verify('gap3'), { firstBroken: { kind: 'GAP', position: 3, message: /positions 3–5 are missing/ } })
})

t.test('a gap wider than the batches the verifier reads', async (t) => {
  await withTriggersOff(owner, 'events', (c) => c.query(`DELETE FROM events WHERE agency_id = 'widegap' AND agency_position BETWEEN 3 AND 12`))
  t.match(await verifyDatabase(pool, { agencyIds: ['widegap'], batchSize: 4 }), { firstBroken: { kind: 'GAP', position: 3, message: /positions 3–12 are missing .*next present: position 13/ } })
})

t.test('an event inserted past the head (forged, chained, head left alone): the head shows it', async (t) => {
  await owner.query(`INSERT INTO events SELECT agency_id, 36, 'forged', stream_type, 1, gen_random_uuid(), event_type, schema_version, data, metadata, recorded_at, hash, hash
    FROM events WHERE agency_id = 'beyond' AND agency_position = 35`)
  await withTriggersOff(owner, 'events', async (c) => {
    await rechain(c, 'beyond', 36)
    await c.query(`UPDATE agency_heads SET position = 35, head_hash = (SELECT hash FROM events WHERE agency_id = 'beyond' AND agency_position = 35) WHERE agency_id = 'beyond'`)
  })
  t.match(await verifyDatabase(pool, { agencyIds: ['beyond'], batchSize: 4 }), { firstBroken: { kind: 'HEAD_MISMATCH', position: 35, actual: /^position 35/, expected: /^position 36/ } })
})

t.test('the last event deleted: the head shows it', async (t) => {
  await withTriggersOff(owner, 'events', (c) => c.query(`DELETE FROM events WHERE agency_id = 'last' AND agency_position = 30`))
  t.match(await verify('last'), { firstBroken: { kind: 'HEAD_MISMATCH', position: 30, message: /head is at position 30 but its log ends at 29/ } })
})

t.test('the last event deleted and the head fixed: the digest that sealed it shows it', async (t) => {
  await withTriggersOff(owner, 'events', async (c) => {
    await c.query(`DELETE FROM events WHERE agency_id = 'lastfixed' AND agency_position = 30`)
    await c.query(`UPDATE agency_heads SET position = 29, head_hash = (SELECT hash FROM events WHERE agency_id = 'lastfixed' AND agency_position = 29) WHERE agency_id = 'lastfixed'`)
  })
  t.match(await verify('lastfixed'), { firstBroken: { kind: 'DIGEST_MISMATCH', digestSeq: 3, position: 30, message: /seals positions 21–30 but the log ends at 29/ } })
})

t.test('an event changed and every later hash and the head re-chained: the digest root shows it', async (t) => {
  await withTriggersOff(owner, 'events', async (c) => {
    await c.query(`UPDATE events SET data = jsonb_set(data, '{title}', '"forged"') WHERE agency_id = 'rechained' AND agency_position = 14`)
    await rechain(c, 'rechained', 14)
  })
  const report = await verify('rechained')
  t.match(report.firstBroken, { kind: 'DIGEST_MISMATCH', agencyId: 'rechained', digestSeq: 2, position: 11, message: /positions 11–20 .* no longer give the Merkle root/ })
  t.equal(report.checked.events, 20, 'every event hashes consistently: only the sealed root differs')
})

t.test('an event deleted and the later ones renumbered and re-chained (forgeries with no gap): the digest root shows it', async (t) => {
  await withTriggersOff(owner, 'events', async (c) => {
    await c.query(`DELETE FROM events WHERE agency_id = 'renumbered' AND agency_position = 8`)
    for (let p = 9; p <= 35; p++) await c.query(`UPDATE events SET agency_position = $1 WHERE agency_id = 'renumbered' AND agency_position = $2`, [p - 1, p])
    await rechain(c, 'renumbered', 8)
  })
  t.match(await verify('renumbered'), { firstBroken: { kind: 'DIGEST_MISMATCH', digestSeq: 1, position: 1 } })
})

t.test("a digest row's root altered: its signature no longer verifies", async (t) => {
  await withTriggersOff(owner, 'audit_digests', (c) => c.query(`UPDATE audit_digests SET merkle_root = $1 WHERE agency_id = 'digestrow' AND seq = 2`, [randomBytes(32)]))
  t.match(await verify('digestrow'), { firstBroken: { kind: 'BAD_SIGNATURE', digestSeq: 2, position: 11 } })
})

t.test("a digest row's stored hash altered: the next digest's chain and its own body disagree", async (t) => {
  await withTriggersOff(owner, 'audit_digests', (c) => c.query(`UPDATE audit_digests SET digest_hash = $1 WHERE agency_id = 'digesthash' AND seq = 1`, [randomBytes(32)]))
  t.match(await verify('digesthash'), { firstBroken: { kind: 'DIGEST_MISMATCH', digestSeq: 1, message: /not the hash of its signed body/ } })
})

t.test('a digest row deleted: the next one does not chain', async (t) => {
  await withTriggersOff(owner, 'audit_digests', (c) => c.query(`DELETE FROM audit_digests WHERE agency_id = 'digestgone' AND seq = 2`))
  t.match(await verify('digestgone'), { firstBroken: { kind: 'DIGEST_CHAIN_BROKEN', digestSeq: 3, position: 11, expected: /^seq 2 from position 11/ } })
})

t.test("an event's data set to a number out of range (reads back as Infinity): CONTENT_CHANGED at it, not a crash", async (t) => {
  const target = await eventAt('infdata', 7)
  await withTriggersOff(owner, 'events', (c) => c.query(`UPDATE events SET data = '1e400'::jsonb WHERE agency_id = 'infdata' AND agency_position = 7`))
  const report = await verify('infdata')
  t.match(report.firstBroken, { kind: 'CONTENT_CHANGED', agencyId: 'infdata', position: 7, streamId: target?.streamId, streamVersion: target?.streamVersion, eventId: target?.eventId,
    expected: target?.hash, actual: /^no hash: its fields cannot be hashed/ })
  t.equal(report.checked.events, 6)
})

t.test("an event's recorded_at set to 'infinity': CONTENT_CHANGED at it, not a crash", async (t) => {
  const target = await eventAt('inftime', 32)
  await withTriggersOff(owner, 'events', (c) => c.query(`UPDATE events SET recorded_at = 'infinity' WHERE agency_id = 'inftime' AND agency_position = 32`))
  t.match((await verify('inftime')).firstBroken, { kind: 'CONTENT_CHANGED', position: 32, streamId: target?.streamId, actual: 'no hash: its recorded_at (Infinity) is not an instant',
    message: /position 32 .* was changed: its recorded_at \(Infinity\) is not an instant/ })
})

t.test('the newest digest removed, its events rewritten and sealed again: only the digests saved from the service show it', async (t) => {
  const saved = await saveDigests('resealed')
  await withTriggersOff(owner, 'audit_digests', (c) => c.query(`DELETE FROM audit_digests WHERE agency_id = 'resealed' AND seq = 3`))
  await withTriggersOff(owner, 'events', async (c) => {
    await c.query(`UPDATE events SET data = jsonb_set(data, '{title}', '"forged"') WHERE agency_id = 'resealed' AND agency_position = 25`)
    await rechain(c, 'resealed', 25)
  })
  const resealed = await sealAgencyNow(pool, signer, 'resealed', new Date('2026-07-01T02:00:00.000Z'))
  t.same(resealed.map((d) => [d.seq, d.firstPosition, d.lastPosition]), [[3, 21, 35]], 'the sealer sealed the forgery')
  t.match(await verify('resealed'), { intact: true }, 'the database alone agrees with itself')
  const report = await verifyDatabase(pool, { agencyIds: ['resealed'], savedDigests: saved })
  t.match(report.firstBroken, { kind: 'DIGEST_MISMATCH', agencyId: 'resealed', digestSeq: 3, position: 21, expected: saved[2]?.digestHash, actual: resealed[0]?.digestHash,
    message: /digest 3 of agency resealed in the database is not the one saved from the service \(lastPosition, eventCount, lastEventHash, merkleRoot, createdAt differ\)/ })
  t.match(report.notes, [/signing_keys/, /3 saved digests compared/])
})

t.test('the newest digest removed and its events rewritten, not sealed again: the saved digest missing from the database shows it', async (t) => {
  const saved = await saveDigests('tipgone')
  await withTriggersOff(owner, 'audit_digests', (c) => c.query(`DELETE FROM audit_digests WHERE agency_id = 'tipgone' AND seq = 3`))
  await withTriggersOff(owner, 'events', async (c) => {
    await c.query(`UPDATE events SET data = jsonb_set(data, '{title}', '"forged"') WHERE agency_id = 'tipgone' AND agency_position = 22`)
    await rechain(c, 'tipgone', 22)
  })
  t.match(await verify('tipgone'), { intact: true })
  t.match((await verifyDatabase(pool, { agencyIds: ['tipgone'], savedDigests: saved.slice(1) })).firstBroken, {
    kind: 'DIGEST_CHAIN_BROKEN', agencyId: 'tipgone', digestSeq: 3, position: 21, expected: new RegExp(`^digest 3 \\(positions 21–30, digest hash ${saved[2]?.digestHash}\\)`),
    actual: "the database's digests end at seq 2", message: /digest 3 of agency tipgone \(positions 21–30\), saved from the service, is not in the database/ }, 'the last saved page is enough')
})

t.test('saved digests are trusted only with a good signature by a given key', async (t) => {
  const saved = await saveDigests('intact')
  const keys = [{ keyId: signer.keyId, algorithm: 'Ed25519' as const, publicKeyPem: signer.publicKeyPem }]
  const forged: Digest[] = saved.map((d) => (d.seq === 2 ? { ...d, merkleRoot: randomBytes(32).toString('hex') } : d))
  t.match((await verifyDatabase(pool, { agencyIds: ['intact'], keys, savedDigests: forged })).firstBroken, { kind: 'BAD_SIGNATURE', digestSeq: 2, position: 11, message: /saved copy of digest 2 .* the saved file was changed/ })
  const other = generateSigner()
  t.match((await verifyDatabase(pool, { agencyIds: ['intact'], keys: [{ keyId: other.keyId, algorithm: 'Ed25519', publicKeyPem: other.publicKeyPem }], savedDigests: [saved[0] as Digest] })).firstBroken,
    { kind: 'UNKNOWN_KEY', digestSeq: 1 })
  const future = { ...(saved[2] as Digest), seq: 4, firstPosition: 31, lastPosition: 35, eventCount: 5 }
  t.match((await verifyDatabase(pool, { agencyIds: ['intact'], keys, savedDigests: [future] })).firstBroken, { kind: 'BAD_SIGNATURE', digestSeq: 4 }, 'a saved digest the database lacks must still verify before it counts as missing')
  t.match(await verifyDatabase(pool, { agencyIds: ['intact'], keys, savedDigests: [...saved, ...saved] }), { intact: true, checked: { signatures: 6 } }, 'copies count once')
})

t.test('the whole database: the first broken agency in id order, the others noted, the untouched one intact', async (t) => {
  const report = await verifyDatabase(pool)
  t.match(report, { intact: false, checked: { agencies: ids.length }, firstBroken: { agencyId: 'beyond', kind: 'HEAD_MISMATCH' } })
  const also = report.notes.filter((n) => n.startsWith('also broken'))
  t.equal(also.length, ids.length - 2 - onlyWithSaved.length, 'every other tampered agency is named')
  t.notOk(report.notes.some((n) => n.includes('agency intact,')), 'the intact agency is not')
  t.match(await verify('intact'), { intact: true })
})

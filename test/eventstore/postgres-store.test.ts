// The PostgreSQL store on a real server: dense positions, versions, idempotency, hash chain, append-only.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import type pg from 'pg'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { chainHash, contentHash, GENESIS_HASH } from '../../src/eventstore/hash.js'
import type { AppendRequest, StoredEvent } from '../../src/eventstore/types.js'
import { freshDatabase } from '../helpers/db.js'
import { createDb, runtimeRoleAvailable } from '../../src/db/connection.js'

const db = await freshDatabase(t)
const store = new PostgresEventStore(db.app.pool)
const meta = { actor: { id: 'u1', roles: ['EMPLOYEE'] }, correlationId: 'c1', source: 'test', commandType: 'Test' }

function request(agencyId: string, streamId: string, expectedVersion: number, n = 1, idempotency?: AppendRequest['idempotency']): AppendRequest {
  return {
    agencyId, streamId, streamType: 'test', expectedVersion, recordedAt: '2026-11-27T09:00:00+09:00', idempotency,
    events: Array.from({ length: n }, (_, i) => ({ eventId: randomUUID(), type: 'Tested', schemaVersion: 1, data: { i, text: '日本語' }, metadata: meta })),
  }
}

export function verifyChain(events: StoredEvent[]): string | undefined {
  let prev = GENESIS_HASH
  for (const [i, e] of events.entries()) {
    if (e.position !== i + 1) return `gap before position ${e.position}`
    if (e.prevHash !== prev) return `prev_hash of ${e.position}`
    const expected = chainHash(prev, e.position, contentHash(e))
    if (e.hash !== expected) return `hash of ${e.position}`
    prev = e.hash
  }
  return undefined
}

t.test('positions are dense per agency and versions per stream', async (t) => {
  const a1 = await store.append(request('pa', 's1', 0, 2))
  const a2 = await store.append(request('pa', 's2', 0, 1))
  const b1 = await store.append(request('pb', 's1', 0, 1))
  t.match(a1, { outcome: 'appended', result: { firstPosition: 1, lastPosition: 2, streamVersion: 2 } })
  t.match(a2, { outcome: 'appended', result: { firstPosition: 3, lastPosition: 3, streamVersion: 1 } })
  t.match(b1, { outcome: 'appended', result: { firstPosition: 1, lastPosition: 1 } })
  const read = await store.readStream('pa', 's1')
  t.same(read.events.map((e) => [e.streamVersion, e.position]), [[1, 1], [2, 2]])
  t.equal(read.events[0]?.recordedAt, '2026-11-27T00:00:00.000Z', 'recorded time normalised to UTC')
  t.same(read.events[0]?.data, { i: 0, text: '日本語' })
})

t.test('readStreams reads several streams of one agency at once, each in version order', async (t) => {
  await store.append(request('rs', 'x', 0, 2))
  await store.append(request('rs', 'y', 0, 1))
  await store.append(request('rs', 'x', 2, 1))
  await store.append(request('rs-other', 'x', 0, 1))
  const streams = await store.readStreams('rs', ['x', 'y', 'none', 'x'])
  t.same([...streams.keys()].sort(), ['none', 'x', 'y'])
  t.same(streams.get('x')?.events.map((e) => e.streamVersion), [1, 2, 3])
  t.equal(streams.get('x')?.version, 3)
  t.same(streams.get('y')?.events.map((e) => e.position), [3])
  t.same(streams.get('none'), { version: 0, events: [] }, 'a stream with no events is empty, not missing')
  t.equal(streams.get('x')?.events.every((e) => e.agencyId === 'rs'), true, 'never another agency')
})

t.test('readStreamTail reads only the last event of a stream, with its version', async (t) => {
  await store.append(request('tl', 'x', 0, 3))
  await store.append(request('tl', 'y', 0, 1))
  await store.append(request('tl', 'x', 3, 1))
  const tail = await store.readStreamTail('tl', 'x')
  t.equal(tail.version, 4)
  t.same(tail.events.map((e) => [e.streamVersion, e.position]), [[4, 5]])
  t.same(await store.readStreamTail('tl', 'none'), { version: 0, events: [] })
  t.same(await store.readStreamTail('tl-other', 'x'), { version: 0, events: [] }, 'never another agency')
})

t.test('a stale expected version is a conflict carrying the actual version, and appends nothing', async (t) => {
  await store.append(request('pc', 's', 0, 3))
  const outcome = await store.append(request('pc', 's', 1))
  t.same(outcome, { outcome: 'conflict', actualVersion: 3 })
  t.equal((await store.readAgency('pc', 0, 100)).length, 3)
})

t.test('idempotency keys replay the first result; another request with the key is refused', async (t) => {
  const key = { key: 'k-1', requestHash: 'h1' }
  const first = await store.append(request('pd', 's', 0, 1, key))
  const again = await store.append(request('pd', 's', 0, 1, key))
  const other = await store.append(request('pd', 's', 1, 1, { key: 'k-1', requestHash: 'h2' }))
  t.equal(first.outcome, 'appended')
  t.same(again, { outcome: 'duplicate', result: first.outcome === 'appended' ? first.result : undefined })
  t.same(other, { outcome: 'key_reused' })
  t.equal((await store.readAgency('pd', 0, 100)).length, 1)
})

t.test('concurrent appends in one agency keep positions gap-free and the chain intact', async (t) => {
  const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => store.append(request('pe', `s${i % 10}`, 0, 1))))
  const appended = outcomes.filter((o) => o.outcome === 'appended').length
  const conflicts = outcomes.filter((o) => o.outcome === 'conflict').length
  t.equal(appended, 10, 'one append per stream wins version 1')
  t.equal(conflicts, 30)
  const events = await store.readAgency('pe', 0, 1000)
  t.same(events.map((e) => e.position), Array.from({ length: 10 }, (_, i) => i + 1))
  t.equal(verifyChain(events), undefined)
  const head = await db.owner.pool.query('SELECT position, head_hash FROM agency_heads WHERE agency_id = $1', ['pe'])
  t.equal(head.rows[0].position, 10)
  t.equal(head.rows[0].head_hash.toString('hex'), events.at(-1)?.hash)
})

t.test('the chain detects a changed event', async (t) => {
  await store.append(request('pf', 's', 0, 5))
  const events = await store.readAgency('pf', 0, 100)
  t.equal(verifyChain(events), undefined)
  const tampered = events.map((e) => (e.position === 3 ? { ...e, data: { ...e.data, i: 99 } } : e))
  t.equal(verifyChain(tampered), 'hash of 3')
})

t.test('the log is append-only: the trigger stops the owner, privileges stop the runtime role', async (t) => {
  await store.append(request('pg', 's', 0, 1))
  for (const statement of ['UPDATE events SET data = \'{}\'', 'DELETE FROM events', 'TRUNCATE events']) {
    await t.rejects(db.owner.pool.query(statement), { code: 'EV001' }, `owner: ${statement}`)
  }
  const role = await db.app.pool.query('SELECT current_user AS u')
  t.equal(role.rows[0].u, 'cs_app', 'the runtime pool runs as cs_app')
  for (const statement of ['UPDATE events SET data = \'{}\'', 'DELETE FROM events', 'TRUNCATE events']) {
    await t.rejects(db.app.pool.query(statement), { code: '42501' }, `runtime: ${statement}`)
  }
  t.equal((await store.readAgency('pg', 0, 10)).length, 1)
})

t.test('a rolled-back append leaves no gap', async (t) => {
  const client = await db.app.pool.connect()
  await client.query('BEGIN')
  const body = { streamId: 's', streamType: 'test', expectedVersion: 0, recordedAt: new Date().toISOString(),
    events: [{ eventId: randomUUID(), type: 'T', schemaVersion: 1, data: {}, metadata: {}, contentHash: 'ab'.repeat(32) }] }
  const inside = await client.query('SELECT outcome FROM append_events($1, $2)', ['ph', JSON.stringify([body])])
  t.equal(inside.rows[0].outcome, 'appended')
  await client.query('ROLLBACK')
  client.release()
  const after = await store.append(request('ph', 's', 0, 1))
  t.match(after, { outcome: 'appended', result: { firstPosition: 1 } })
})

t.test('grouped appends of one agency keep each request\'s own outcome', async (t) => {
  const key = { key: 'grouped', requestHash: 'g' }
  const outcomes = await Promise.all([
    store.append(request('pj', 'a', 0, 1, key)),
    store.append(request('pj', 'a', 0, 1, key)),
    store.append(request('pj', 'b', 0, 2)),
    store.append(request('pj', 'b', 0, 1)),
    store.append(request('pj', 'c', 0, 1, { key: 'grouped', requestHash: 'other' })),
  ])
  t.same(outcomes.map((o) => o.outcome), ['appended', 'duplicate', 'appended', 'conflict', 'key_reused'])
  t.match(outcomes[3], { actualVersion: 2 }, 'the second request sees the first one of its group')
  const events = await store.readAgency('pj', 0, 100)
  t.same(events.map((e) => e.position), [1, 2, 3])
  t.equal(verifyChain(events), undefined)
})

t.test('one broken request in a group fails alone; the others are appended', async (t) => {
  const bad = request('pk', 'bad', 0, 1)
  bad.events[0] = { ...bad.events[0]!, eventId: 'not-a-uuid' }
  const results = await Promise.allSettled([
    store.append(request('pk', 'x', 0, 1)),
    store.append(request('pk', 'y', 0, 1)),
    store.append(bad),
    store.append(request('pk', 'z', 0, 1)),
  ])
  t.same(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
  const events = await store.readAgency('pk', 0, 100)
  t.same(events.map((e) => e.streamId).sort(), ['x', 'y', 'z'])
  t.equal(verifyChain(events), undefined)
})

t.test('a failing append listener touches neither the append nor later ones', async (t) => {
  const off = store.onAppended(() => { throw new Error('listener bug') })
  t.teardown(off)
  const outcomes = await Promise.all([store.append(request('pl', 'a', 0)), store.append(request('pl', 'b', 0)), store.append(request('pl', 'c', 0))])
  t.same(outcomes.map((o) => o.outcome), ['appended', 'appended', 'appended'])
  t.match(await store.append(request('pl', 'a', 1)), { outcome: 'appended', result: { lastPosition: 4 } }, 'the agency lane is not stuck')
})

t.test('an event that cannot be hashed is a rejected promise, not a synchronous throw', async (t) => {
  const bad = request('pm', 's', 0)
  bad.events[0] = { ...bad.events[0]!, data: { when: new Date() as unknown as string } }
  const result = store.append(bad)
  t.type(result, Promise)
  await t.rejects(result, /plain objects/)
})

t.test('a call that committed but whose answer was lost is resent without appending twice', async (t) => {
  let failNext = 0
  // A pool whose connection "drops" after the server committed: the caller sees an error, the log has the events.
  const flaky = {
    query: async (config: pg.QueryConfig) => {
      const result = await db.app.pool.query(config)
      if (config.text.includes('append_') && failNext > 0) {
        failNext--
        throw new Error('Connection terminated unexpectedly')
      }
      return result
    },
  } as unknown as pg.Pool
  const lossy = new PostgresEventStore(flaky)
  failNext = 1
  const alone = await lossy.append(request('pn', 'one', 0, 2))
  t.match(alone, { outcome: 'appended', result: { firstPosition: 1, lastPosition: 2, streamVersion: 2 } })
  failNext = 1
  const group = await Promise.all([lossy.append(request('pn', 'a', 0)), lossy.append(request('pn', 'b', 0)), lossy.append(request('pn', 'c', 0))])
  t.same(group.map((o) => o.outcome), ['appended', 'appended', 'appended'], 'each request answered as appended, none as a conflict')
  const events = await store.readAgency('pn', 0, 100)
  t.equal(events.length, 5, 'nothing written twice')
  t.same(events.map((e) => e.streamId), ['one', 'one', 'a', 'b', 'c'])
  t.equal(verifyChain(events), undefined)
})

t.test('a lone single-event append (append_one_event) answers exactly as append_events does, case by case', async (t) => {
  // The same calls, in the same order, into two agencies: one through each function. Same content hashes, so
  // the chains must come out byte for byte the same.
  const ids = Array.from({ length: 6 }, () => randomUUID())
  const event = (n: number) => ({ eventId: ids[n] as string, type: 'Tested', schemaVersion: 1, data: { n, text: '日本語' }, metadata: meta, contentHash: String(n).repeat(64) })
  type Case = { streamId: string; expectedVersion: number; n: number; key?: [string, string]; resend?: boolean }
  const cases: Case[] = [
    { streamId: 's', expectedVersion: 0, n: 0 }, // first append of the agency: the head row is created
    { streamId: 's', expectedVersion: 1, n: 1, key: ['k1', 'h1'] },
    { streamId: 's', expectedVersion: 1, n: 2 }, // stale: conflict with the actual version 2
    { streamId: 's', expectedVersion: 2, n: 2, key: ['k1', 'h1'] }, // a retry: the first result
    { streamId: 't', expectedVersion: 0, n: 3, key: ['k1', 'other'] }, // the key with another request
    { streamId: 's', expectedVersion: 1, n: 1, resend: true }, // committed before: its result, nothing appended
    { streamId: 't', expectedVersion: 0, n: 4, resend: true }, // never committed: appended now
    { streamId: 't', expectedVersion: 1, n: 5 },
    { streamId: 's', expectedVersion: 2, n: 1, key: ['k1', 'h1'], resend: true }, // the key is checked before the resend
    { streamId: 't', expectedVersion: 9, n: 5 }, // expected version ahead of the stream: a conflict too
  ]
  const recordedAt = '2026-11-27T00:00:00.000Z'
  const viaMany: unknown[] = []
  const viaOne: unknown[] = []
  for (const c of cases) {
    const body = { streamId: c.streamId, streamType: 'test', expectedVersion: c.expectedVersion, recordedAt, idempotencyKey: c.key?.[0], requestHash: c.key?.[1], resend: c.resend, events: [event(c.n)] }
    viaMany.push((await db.app.pool.query('SELECT idx, outcome, stream_version, result FROM append_events($1, $2)', ['eq-many', JSON.stringify([body])])).rows)
    const e = event(c.n)
    viaOne.push((await db.app.pool.query('SELECT append_one_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) AS answer',
      ['eq-one', c.streamId, 'test', c.expectedVersion, recordedAt, e.eventId, e.type, e.schemaVersion, JSON.stringify(e.data), JSON.stringify(e.metadata), e.contentHash, c.key?.[0] ?? null, c.key?.[1] ?? null, c.resend ?? false])).rows.map((r) => r.answer))
  }
  t.strictSame(viaOne, viaMany, 'the same answers (one JSON value with the columns of append_events)')
  t.strictSame(viaOne.map((rows) => (rows as { outcome: string }[])[0]?.outcome), ['appended', 'appended', 'conflict', 'duplicate', 'key_reused', 'appended', 'appended', 'appended', 'duplicate', 'conflict'])
  const columns = 'agency_position, stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at, prev_hash, hash'
  const rows = async (agency: string) => (await db.owner.pool.query(`SELECT ${columns} FROM events WHERE agency_id = $1 ORDER BY agency_position`, [agency])).rows
  const many = await rows('eq-many')
  t.equal(many.length, 4)
  t.strictSame(await rows('eq-one'), many, 'the same events, positions and chain')
  const heads = await db.owner.pool.query('SELECT agency_id, position, head_hash FROM agency_heads WHERE agency_id IN ($1, $2) ORDER BY agency_id', ['eq-many', 'eq-one'])
  t.same(heads.rows.map((r) => [r.position, r.head_hash.toString('hex')]), [[4, many[3].hash.toString('hex')], [4, many[3].hash.toString('hex')]])
  const keys = await db.owner.pool.query('SELECT agency_id, request_hash, result FROM idempotency_keys WHERE agency_id IN ($1, $2) ORDER BY agency_id', ['eq-many', 'eq-one'])
  t.same(keys.rows.map((r) => [r.request_hash, r.result]), [['h1', keys.rows[0].result], ['h1', keys.rows[0].result]], 'the same key row')
})

t.test('the store sends a lone single-event append to append_one_event and everything else to append_events', async (t) => {
  const sent: string[] = []
  const spy = {
    query: async (config: pg.QueryConfig) => {
      sent.push(config.name ?? config.text)
      return db.app.pool.query(config)
    },
  } as unknown as pg.Pool
  const spied = new PostgresEventStore(spy)
  await spied.append(request('route', 'a', 0, 1))
  await spied.append(request('route', 'b', 0, 2))
  await Promise.all([spied.append(request('route', 'c', 0, 1)), spied.append(request('route', 'd', 0, 1)), spied.append(request('route', 'e', 0, 1))])
  t.same(sent, ['append_one_event', 'append_events', 'append_one_event', 'append_events'], 'the first of a burst goes alone; the ones waiting behind it go together')
  const events = await store.readAgency('route', 0, 100)
  t.same(events.map((e) => e.streamId), ['a', 'b', 'b', 'c', 'd', 'e'])
  t.equal(verifyChain(events), undefined)
})

t.test('only the runtime role may call the append functions; nobody else by default', async (t) => {
  const fns = ['append_events(text, jsonb)', 'append_one_event(text, text, text, integer, timestamptz, uuid, text, integer, jsonb, jsonb, text, text, text, boolean)']
  for (const fn of fns) {
    const { rows } = await db.owner.pool.query('SELECT has_function_privilege($1, $2, \'EXECUTE\') AS app, has_function_privilege(\'public\', $2, \'EXECUTE\') AS everyone', ['cs_app', fn])
    t.same(rows[0], { app: true, everyone: false }, fn)
  }
})

t.test('stores on separate pools appending to one agency (as two service instances do) keep it dense and chained', async (t) => {
  // The lane in one store serialises an agency's appends; across processes only the head row lock does.
  const role = (await runtimeRoleAvailable(db.owner.pool)) ? 'cs_app' : undefined
  const dbs = Array.from({ length: 4 }, () => createDb(db.url, { role, max: 2 }))
  t.teardown(() => Promise.all(dbs.map((d) => d.close())))
  const stores = dbs.map((d) => new PostgresEventStore(d.pool))
  const versions = new Map<string, number>()
  const outcomes = await Promise.all(stores.map(async (s, w) => {
    const answers: string[] = []
    for (let i = 0; i < 30; i++) {
      const stream = `w${w}-${i % 3}`
      const expected = versions.get(stream) ?? 0
      const o = await s.append(request('multi', stream, expected, 1 + (i % 2), i % 4 === 0 ? { key: `k-${w}-${i}`, requestHash: 'h' } : undefined))
      if (o.outcome === 'appended') versions.set(stream, o.result.streamVersion)
      answers.push(o.outcome)
    }
    return answers
  }))
  t.strictSame(outcomes.flat().filter((o) => o !== 'appended'), [], 'every append was appended: each writer owns its streams')
  const events = await store.readAgency('multi', 0, 10_000)
  t.equal(events.length, 4 * 30 * 1.5, 'every event once')
  t.equal(verifyChain(events), undefined, 'dense positions and an intact chain')
  // A brand-new agency whose head row four stores race to create.
  const first = await Promise.all(stores.map((s, w) => s.append(request('multi-new', `n${w}`, 0, 1))))
  t.strictSame(first.map((o) => o.outcome), ['appended', 'appended', 'appended', 'appended'])
  t.equal(verifyChain(await store.readAgency('multi-new', 0, 100)), undefined)
})

t.test('a lone UTF-16 surrogate in a text field is refused, not stored changed', async (t) => {
  const cases: [string, AppendRequest][] = [
    ['stream id', request('sur', 'bad-\ud800', 0)],
    ['idempotency key', request('sur', 's', 0, 1, { key: 'k-\udc00', requestHash: 'h' })],
    ['event type', { ...request('sur', 's', 0), events: [{ ...request('sur', 's', 0).events[0]!, type: 'T\ud83d' }] }],
  ]
  for (const [name, req] of cases) {
    await t.rejects(store.append(req), /lone UTF-16 surrogate/, name)
  }
  t.match(await store.append(request('sur', 'ok-\ud83d\ude00', 0)), { outcome: 'appended' }, 'a surrogate pair (an emoji) is text')
  t.equal((await store.readAgency('sur', 0, 10))[0]?.streamId, 'ok-\ud83d\ude00')
})

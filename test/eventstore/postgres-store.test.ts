// The PostgreSQL store on a real server: dense positions, versions, idempotency, hash chain, append-only.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import type pg from 'pg'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { chainHash, contentHash, GENESIS_HASH } from '../../src/eventstore/hash.js'
import type { AppendRequest, StoredEvent } from '../../src/eventstore/types.js'
import { freshDatabase } from '../helpers/db.js'

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
    query: async (text: string, params: unknown[]) => {
      const result = await db.app.pool.query(text, params)
      if (text.includes('append_events') && failNext > 0) {
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

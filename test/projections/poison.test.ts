// One event a handler cannot apply must not stop the projection: it is narrowed down, recorded in
// projection_failures and skipped. An outage, by contrast, is retried and never skips anything.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import type pg from 'pg'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { ProjectionRunner } from '../../src/projections/runner.js'
import { acquireLease, runBatch } from '../../src/projections/batch.js'
import type { Projection } from '../../src/projections/types.js'
import { freshDatabase } from '../helpers/db.js'
import { silentLogger } from '../helpers/logger.js'

const db = await freshDatabase(t)
await db.owner.pool.query('CREATE TABLE test_seen (agency_id text, agency_position bigint, PRIMARY KEY (agency_id, agency_position))')
await db.owner.pool.query('GRANT SELECT, INSERT, UPDATE, DELETE ON test_seen TO cs_app')
const store = new PostgresEventStore(db.app.pool)

async function write(agency: string, poison: number[]): Promise<number> {
  let last = 0
  for (let i = 1; i <= 40; i++) {
    const outcome = await store.append({
      agencyId: agency, streamId: `s${i}`, streamType: 'test', expectedVersion: 0, recordedAt: new Date().toISOString(),
      events: [{ eventId: randomUUID(), type: 'Seen', schemaVersion: 1, data: { poison: poison.includes(i) }, metadata: { actor: { id: 'a', roles: [] }, correlationId: 'c', source: 'test', commandType: 'T' } }],
    })
    if (outcome.outcome === 'appended') last = outcome.result.lastPosition
  }
  return last
}

function projection(name: string, fail: (events: readonly { data: Record<string, unknown> }[]) => Error | undefined): Projection<'test_seen'> {
  return {
    name, eventTypes: ['Seen'], tables: ['test_seen'],
    async apply(client: pg.ClientBase, events) {
      await client.query('INSERT INTO test_seen SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING',
        [events.map((e) => e.agencyId), events.map((e) => e.position)])
      const err = fail(events)
      if (err) throw err
    },
  }
}

t.test('a poison event is recorded and skipped; every other event is applied', async (t) => {
  const head = await write('pz', [17])
  const before = await write('pa', []) // an agency sorted first, with work pending too: none of it may be skipped
  const runner = new ProjectionRunner({ pool: db.app.pool, projections: [projection('poisoned', (events) => (events.some((e) => e.data.poison) ? new TypeError('cannot read poison') : undefined))], logger: silentLogger, pollMs: 10, batchSize: 16 })
  runner.start()
  t.teardown(() => runner.stop())
  t.ok(await runner.waitFor('poisoned', 'pz', head, 30_000), 'the projection got past the poison event')
  t.ok(await runner.waitFor('poisoned', 'pa', before, 30_000))
  const good = await db.owner.pool.query('SELECT count(*)::int AS n FROM test_seen WHERE agency_id = $1', ['pa'])
  t.equal(good.rows[0].n, 40, 'every event of the other agency applied')
  const failures = await db.owner.pool.query('SELECT agency_position, error FROM projection_failures WHERE projection = $1', ['poisoned'])
  t.same(failures.rows.map((r) => Number(r.agency_position)), [head - 40 + 17], 'exactly the poison event')
  t.match(failures.rows[0]?.error, /cannot read poison/)
  const seen = await db.owner.pool.query('SELECT count(*)::int AS n FROM test_seen WHERE agency_id = $1', ['pz'])
  t.equal(seen.rows[0].n, 39, 'the 39 good events applied; the poison one rolled back')
  t.equal(runner.status()[0]?.skipped, 1)
})

t.test('an outage is retried and skips nothing', async (t) => {
  const head = await write('oz', [])
  let outages = 6
  const runner = new ProjectionRunner({ pool: db.app.pool, projections: [projection('flaky', () => (outages-- > 0 ? new Error('Connection terminated unexpectedly') : undefined))], logger: silentLogger, pollMs: 10, batchSize: 16 })
  runner.start()
  t.teardown(() => runner.stop())
  t.ok(await runner.waitFor('flaky', 'oz', head, 60_000))
  const failures = await db.owner.pool.query('SELECT count(*)::int AS n FROM projection_failures WHERE projection = $1', ['flaky'])
  t.equal(failures.rows[0].n, 0, 'nothing skipped')
  const seen = await db.owner.pool.query('SELECT count(*)::int AS n FROM test_seen WHERE agency_id = $1', ['oz'])
  t.equal(seen.rows[0].n, 40)
})

t.test('while one agency is narrowed down, the others keep being applied (busy ones too)', async (t) => {
  const poisonHead = await write('sb', [3])
  const backlog = await write('sc', [])
  const runner = new ProjectionRunner({ pool: db.app.pool, projections: [projection('isolating', (events) => (events.some((e) => e.data.poison) ? new TypeError('bad event') : undefined))], logger: silentLogger, pollMs: 500, batchSize: 16 })
  runner.start()
  t.teardown(() => runner.stop())
  // An agency sorted first keeps receiving events the whole time.
  let writing = true
  let last = 0
  const busy = (async () => {
    for (let i = 0; writing; i++) {
      const o = await store.append({ agencyId: 'sa', streamId: `busy-${i}`, streamType: 'test', expectedVersion: 0, recordedAt: new Date().toISOString(),
        events: [{ eventId: randomUUID(), type: 'Seen', schemaVersion: 1, data: { poison: false }, metadata: { actor: { id: 'a', roles: [] }, correlationId: 'c', source: 'test', commandType: 'T' } }] })
      if (o.outcome === 'appended') last = o.result.lastPosition
      await new Promise((r) => setTimeout(r, 20))
    }
  })()
  t.ok(await runner.waitFor('isolating', 'sc', backlog, 30_000), 'the backlog agency caught up')
  t.ok(await runner.waitFor('isolating', 'sb', poisonHead, 30_000), 'the poisoned agency got past its bad event')
  writing = false
  await busy
  t.ok(await runner.waitFor('isolating', 'sa', last, 30_000), 'the busy agency kept up')
  const failures = await db.owner.pool.query('SELECT agency_id, agency_position FROM projection_failures WHERE projection = $1 ORDER BY 1', ['isolating'])
  // This projection starts at position 0 everywhere, so it also meets the first test's bad event in pz.
  t.same(failures.rows.map((r) => [r.agency_id, Number(r.agency_position)]), [['pz', 17], ['sb', poisonHead - 40 + 3]], 'only the bad events were skipped')
})

t.test('a permission or schema error (class 42) is an outage: retried, never skipped', async (t) => {
  const head = await write('pq', [])
  let faults = 5
  const denied = () => Object.assign(new Error('permission denied for table test_seen'), { code: '42501' })
  const runner = new ProjectionRunner({ pool: db.app.pool, projections: [projection('denied', () => (faults-- > 0 ? denied() : undefined))], logger: silentLogger, pollMs: 10, batchSize: 16 })
  runner.start()
  t.teardown(() => runner.stop())
  t.ok(await runner.waitFor('denied', 'pq', head, 60_000))
  const failures = await db.owner.pool.query('SELECT count(*)::int AS n FROM projection_failures WHERE projection = $1', ['denied'])
  t.equal(failures.rows[0].n, 0, 'nothing skipped')
})

t.test('a skip names an exact event: one that is not next is left alone', async (t) => {
  await write('pr', [])
  const token = await acquireLease(db.app.pool, 'exact', 'me', 5_000)
  const target = { key: 'exact', owner: 'me', token: token!, leaseMs: 5_000, tables: { test_seen: 'test_seen' } }
  const seen = projection('exact', () => undefined)
  const wrong = await runBatch(db.app.pool, seen, target, 1, { skip: { agencyId: 'pr', position: 7, error: 'x' } })
  t.equal(wrong.advanced, 0, 'position 7 is not the next one: nothing happens')
  const right = await runBatch(db.app.pool, seen, target, 1, { skip: { agencyId: 'pr', position: 1, error: 'x' } })
  t.equal(right.advanced, 1)
  const failures = await db.owner.pool.query('SELECT agency_position FROM projection_failures WHERE projection = $1', ['exact'])
  t.same(failures.rows.map((r) => Number(r.agency_position)), [1])
})
